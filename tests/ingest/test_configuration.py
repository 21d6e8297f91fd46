"""A bad configuration file gives one clear line naming the file, the line and the key; never a traceback."""

from __future__ import annotations

from tests.support.cli import Tradewire


def _error(tradewire: Tradewire, *args: str) -> str:
    result = tradewire.run(*(args or ("feeds", "list")))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_bad_interval_names_file_line_and_key(tradewire: Tradewire) -> None:
    tradewire.write(
        "feeds.yaml",
        "feeds:\n  - name: ok\n    url: https://example.org/feed\n  - name: fast\n    url: https://example.org/f2\n    interval: fast\n",
    )
    line = _error(tradewire)
    assert "feeds.yaml: line 6: feeds[1].interval: invalid duration 'fast'" in line
    assert line.startswith("tradewire: config error:")


def test_unknown_key_and_missing_url(tradewire: Tradewire) -> None:
    tradewire.write("feeds.yaml", "feeds:\n  - name: a\n    link: https://example.org/feed\n")
    line = _error(tradewire)
    assert "feeds.yaml: line 2: feeds[0]" in line
    assert "missing required key 'url'" in line or "unknown key 'link'" in line


def test_yaml_syntax_error_names_the_line(tradewire: Tradewire) -> None:
    tradewire.write("feeds.yaml", "feeds:\n  - name: a\n    url: [unclosed\n")
    line = _error(tradewire)
    assert "feeds.yaml: line" in line and "YAML syntax error" in line


def test_bad_feed_url_and_duplicate_names(tradewire: Tradewire) -> None:
    tradewire.write("feeds.yaml", "feeds:\n  - name: a\n    url: ftp://example.org/feed\n")
    assert "feeds[0].url: feed URL must be http:// or https://" in _error(tradewire)
    tradewire.write("feeds.yaml", "feeds:\n  - {name: a, url: 'https://a.example/'}\n  - {name: a, url: 'https://b.example/'}\n")
    assert "feed name 'a' is used twice" in _error(tradewire)


def test_bad_taxonomy_and_settings(tradewire: Tradewire) -> None:
    tradewire.write("taxonomy.yaml", "tags:\n  sanctions:\n    label: S\n    rules:\n      - {id: r, phrases: [x], weight: -1}\n")
    line = _error(tradewire)
    assert "taxonomy.yaml: line 5: tags.sanctions.rules[0].weight" in line
    (tradewire.config_dir / "taxonomy.yaml").unlink()
    tradewire.write("settings.yaml", "fetch:\n  max_bytes: lots\n")
    assert "settings.yaml: line 2: fetch.max_bytes" in _error(tradewire)


def test_taxonomy_pattern_of_an_unsupported_form_is_refused_at_load(tradewire: Tradewire) -> None:
    tradewire.write("taxonomy.yaml", "tags:\n  export_licenses:\n    label: L\n    rules:\n      - {id: r, phrases: [licence], weight: 1}\n"
                                     "    other_senses: ['licen* plate*', 'li*ce']\n")
    line = _error(tradewire)
    assert "taxonomy.yaml: line 6: tags.export_licenses.other_senses[1]" in line and "'li*ce'" in line
    tradewire.write("taxonomy.yaml", "tags:\n  export_controls:\n    label: C\n    rules:\n      - {id: r, phrases: ['re:3a(09', eccn], weight: 1}\n")
    assert "tags.export_controls.rules[0].phrases[0]: invalid regular expression" in _error(tradewire)
    tradewire.write("taxonomy.yaml", "tags:\n  sanctions:\n    label: S\n    rules:\n      - {id: r, phrases: [制裁], weight: 1}\n")
    assert "rule 'r' fires on text in 'en' but has Chinese phrases" in _error(tradewire)
    tradewire.write("taxonomy.yaml", "tags:\n  tariffs:\n    label: T\n    rules:\n      - {id: r, phrases: [duty], weight: 1, yields_to: remedies}\n")
    assert "rule 'r' yields to an unknown tag 'remedies'" in _error(tradewire)


def test_bad_environment_variable_is_named(tradewire: Tradewire) -> None:
    tradewire.env["TRADEWIRE_ALLOW_PRIVATE_URLS"] = "perhaps"
    assert "environment variable TRADEWIRE_ALLOW_PRIVATE_URLS" in _error(tradewire)


def test_feeds_add_remove_and_opml_round_trip(tradewire: Tradewire, tmp_path) -> None:  # type: ignore[no-untyped-def]
    tradewire.write("feeds.yaml", "# my feeds\nfeeds:\n  - name: first  # keep me\n    url: https://a.example/feed\n")
    tradewire.run("feeds", "add", "second", "https://b.example/rss", "--tag", "press", "--interval", "30m", check=True)
    listed = {feed["name"]: feed for feed in tradewire.json("feeds", "list")}
    assert set(listed) == {"first", "second"} and listed["second"]["tags"] == ["press"]
    assert "# keep me" in (tradewire.config_dir / "feeds.yaml").read_text()

    opml = tradewire.run("feeds", "export-opml", check=True).stdout
    assert 'xmlUrl="https://b.example/rss"' in opml
    tradewire.run("feeds", "remove", "second", check=True)
    assert [feed["name"] for feed in tradewire.json("feeds", "list")] == ["first"]

    exported = tmp_path / "feeds.opml"
    exported.write_text(opml)
    imported = tradewire.run("feeds", "import-opml", str(exported), check=True)
    assert "imported 1 of 2 feeds" in imported.stdout
    assert {feed["url"] for feed in tradewire.json("feeds", "list")} == {"https://a.example/feed", "https://b.example/rss"}


def test_alert_rule_naming_an_unknown_tag(tradewire: Tradewire) -> None:
    tradewire.write("alerts.yaml", {"channels": {"log": {"type": "log"}},
                                    "rules": [{"name": "typo", "query": "tag:sanction AND entity:CN", "channels": ["log"]}]})
    line = _error(tradewire)
    assert "alerts.yaml: rules[0] (typo): unknown tag 'sanction'" in line and "sanctions" in line


def test_empty_data_dir_and_schemeless_elasticsearch_url(tradewire: Tradewire) -> None:
    tradewire.env["TRADEWIRE_DATA_DIR"] = ""
    assert "TRADEWIRE_DATA_DIR: must not be empty" in _error(tradewire)
    del tradewire.env["TRADEWIRE_DATA_DIR"]
    tradewire.env["TRADEWIRE_ES_URL"] = "localhost:9200"
    assert "TRADEWIRE_ES_URL: must start with http:// or https://" in _error(tradewire, "search", "tariffs")


def test_bad_lists_file_names_file_line_and_key(tradewire: Tradewire) -> None:
    tradewire.write("lists.yaml", "lists:\n  - name: sdn\n    url: https://example.org/sdn.xml\n    format: ofac_sdn_xml\n"
                                  "  - name: un\n    url: https://example.org/un.xml\n    format: un_csv\n")
    line = _error(tradewire)
    assert "lists.yaml: line 7: lists[1].format: unknown list format 'un_csv'" in line and "un_xml" in line
    tradewire.write("lists.yaml", "lists:\n  - name: sdn\n    url: https://example.org/sdn.xml\n    format: ofac_sdn_xml\n"
                                  "    interval: daily\n")
    assert "lists.yaml: line 5: lists[0].interval: invalid duration 'daily'" in _error(tradewire)
    tradewire.write("lists.yaml", "lists:\n  - {name: a, url: 'https://a.example/l.csv', format: csl_csv, max_delisted_share: 2}\n")
    assert "lists[0].max_delisted_share" in _error(tradewire)
    tradewire.write("lists.yaml", "lists:\n  - {name: a, url: 'file:///etc/passwd', format: csl_csv}\n")
    assert "lists[0].url: list URL must be http:// or https://" in _error(tradewire)
    tradewire.write("lists.yaml", "lists:\n  - {name: a, url: 'https://a.example/1', format: csl_csv}\n"
                                  "  - {name: a, url: 'https://a.example/2', format: un_xml}\n")
    assert "list name 'a' is used twice" in _error(tradewire)


def test_shipped_lists_are_the_official_ones_and_off_until_a_user_opts_in() -> None:
    from tradewire.ingest.configuration import load_config
    from tradewire.ingest.lists import FORMATS

    shipped = load_config(None).lists
    assert {source.format for source in shipped} == set(FORMATS)
    assert not any(source.enabled for source in shipped)
    assert all(source.url.startswith("https://") for source in shipped)
    assert all(source.max_bytes >= 200 * 1024 * 1024 for source in shipped)


def test_a_body_part_of_an_unknown_one_is_refused(tradewire: Tradewire, tmp_path) -> None:  # type: ignore[no-untyped-def]
    tradewire.write("entities.yaml", "entities:\n  - {name: Export Bureau, type: agency, part_of: trade-ministry}\n")
    article = tmp_path / "a.txt"
    article.write_text("The Export Bureau sanctioned Rosneft.")
    line = _error(tradewire, "enrich", str(article))
    assert "entities.yaml" in line and "Export Bureau: part_of 'trade-ministry' is no entity id of this file" in line
