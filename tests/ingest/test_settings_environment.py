"""TRADEWIRE_* environment variables over settings.yaml: nested keys, whole sections, short names, their order,
and a bad variable named in one line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tradewire.ingest.configuration import load_settings
from tradewire.ingest.errors import ConfigError


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for variable in [name for name in os.environ if name.upper().startswith("TRADEWIRE_")]:
        monkeypatch.delenv(variable)
    (tmp_path / "settings.yaml").write_text(
        "fetch:\n  retries: 4\n  max_bytes: 20000\nelasticsearch:\n  index: from-yaml\n  request_timeout: 9\n",
        encoding="utf-8",
    )
    return tmp_path


def test_a_nested_variable_replaces_one_key_and_keeps_the_rest_of_the_file(
    config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRADEWIRE_FETCH__MAX_BYTES", "5000000")
    monkeypatch.setenv("tradewire_elasticsearch__request_timeout", "2.5")  # names are read in any case
    settings = load_settings(config_dir)
    assert settings.fetch.max_bytes == 5_000_000
    assert settings.fetch.retries == 4
    assert settings.elasticsearch.request_timeout == 2.5
    assert settings.elasticsearch.index == "from-yaml"


def test_short_names_win_over_nested_ones_and_a_whole_section_is_json(
    config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRADEWIRE_ELASTICSEARCH__INDEX", "nested")
    monkeypatch.setenv("TRADEWIRE_ES_INDEX", "short")
    monkeypatch.setenv("TRADEWIRE_SERVER", '{"port": 9000, "host": "0.0.0.0"}')
    monkeypatch.setenv("TRADEWIRE_SERVER__PORT", "9001")
    monkeypatch.setenv("TRADEWIRE_DATA_DIR", str(config_dir / "data"))
    settings = load_settings(config_dir)
    assert settings.elasticsearch.index == "short"
    assert (settings.server.host, settings.server.port) == ("0.0.0.0", 9001)
    assert settings.data_dir == config_dir / "data"


def test_variables_that_name_no_setting_are_left_alone(config_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRADEWIRE_CONFIG_DIR", str(config_dir))
    monkeypatch.setenv("TRADEWIRE_TEST_ES_URL", "http://127.0.0.1:1")
    monkeypatch.setenv("TRADEWIRE_DATA_DIR__NESTED", "x")  # data_dir is a path, not a section
    assert load_settings(config_dir).fetch.retries == 4


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        (
            "TRADEWIRE_FETCH__NO_SUCH_KEY",
            "1",
            "environment variable TRADEWIRE_FETCH__NO_SUCH_KEY: unknown key 'no_such_key'",
        ),
        (
            "TRADEWIRE_FETCH__RETRIES",
            "many",
            "environment variable TRADEWIRE_FETCH__RETRIES: Input should be a valid integer",
        ),
        (
            "TRADEWIRE_ES_URL",
            "localhost:9200",
            "environment variable TRADEWIRE_ES_URL: must start with http:// or https://",
        ),
        ("TRADEWIRE_SERVER", "port=9000", "environment variable TRADEWIRE_SERVER: a whole section is written as JSON"),
    ],
)
def test_a_bad_variable_is_named(
    config_dir: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as raised:
        load_settings(config_dir)
    assert str(raised.value).startswith(expected), str(raised.value)
    assert "\n" not in str(raised.value)
