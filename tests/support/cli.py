"""Run the real `tradewire` command line as a subprocess, with its own config and data directories."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

# Short timeouts and no politeness gap: tests talk to local servers and must not wait for minutes.
TEST_SETTINGS: dict[str, Any] = {
    "fetch": {
        "allow_private_urls": True,
        "per_host_interval": 0,
        "connect_timeout": 2,
        "read_timeout": 2,
        "total_timeout": 4,
        "retries": 1,
        "retry_backoff": 0.05,
    },
    "ingest": {"workers": 2, "extraction_timeout": 30},
}


@dataclass
class Tradewire:
    """One installation as a user has it: a config directory, a data directory, an environment."""

    root: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def config_dir(self) -> Path:
        return self.root / "config"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def write(self, name: str, content: Any) -> Path:
        self.config_dir.mkdir(parents=True, exist_ok=True)
        path = self.config_dir / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            with path.open("w", encoding="utf-8") as file:
                YAML().dump(content, file)
        return path

    def feeds(self, feeds: dict[str, str], **extra: Any) -> None:
        self.write("feeds.yaml", {"feeds": [{"name": name, "url": url, **extra} for name, url in feeds.items()]})

    def settings(self, overrides: dict[str, Any] | None = None) -> None:
        merged = json.loads(json.dumps(TEST_SETTINGS))
        for section, values in (overrides or {}).items():
            merged.setdefault(section, {}).update(values)
        self.write("settings.yaml", merged)

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRADEWIRE_")}
        env.update({
            "TRADEWIRE_CONFIG_DIR": str(self.config_dir),
            "TRADEWIRE_DATA_DIR": str(self.data_dir),
            "PYTHONUNBUFFERED": "1",
        })
        env.update(self.env)
        return env

    def run(self, *args: str, check: bool = False, timeout: float = 180, input: str | None = None) -> subprocess.CompletedProcess[str]:
        self.config_dir.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [sys.executable, "-m", "tradewire", *args], env=self.environment(), capture_output=True, text=True,
            timeout=timeout, input=input,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"tradewire {' '.join(args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}")
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "--json", check=True).stdout)
