"""A tradewire installation for a benchmark: a config directory with its feeds and settings, data beside it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from bench.sites import free_port


def install(
    root: Path, feeds: list[str], settings: dict[str, Any] | None = None, alerts: dict[str, Any] | None = None
) -> Path:
    """Write root/config (feeds named feed-N, `settings` over private URLs allowed, data in root/data, `alerts`
    or none); returns the config directory. JSON is YAML, so the files are written as JSON."""
    config = root / "config"
    config.mkdir(parents=True, exist_ok=True)
    merged: dict[str, Any] = {"data_dir": str(root / "data"), "fetch": {"allow_private_urls": True}}
    for section, values in (settings or {}).items():
        merged[section] = {**merged.get(section, {}), **values} if isinstance(values, dict) else values
    (config / "settings.yaml").write_text(json.dumps(merged))
    (config / "feeds.yaml").write_text(json.dumps({"feeds": [{"name": f"feed-{n}", "url": url} for n, url in enumerate(feeds)]}))
    (config / "alerts.yaml").write_text(json.dumps(alerts or {"channels": {}, "rules": []}))
    return config


def serve(config_dir: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start `tradewire serve` on the installation, its output in `log`; returns it and its API's URL once it answers."""
    port = free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("TRADEWIRE_")}, "TRADEWIRE_CONFIG_DIR": str(config_dir)}
    with log.open("wb") as output:
        process = subprocess.Popen([sys.executable, "-m", "tradewire", "serve", "--port", str(port)], env=env,
                                   stdout=output, stderr=subprocess.STDOUT, cwd=Path(__file__).resolve().parents[1])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"tradewire serve exited: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process, f"http://127.0.0.1:{port}"
        except urllib.error.HTTPError:
            return process, f"http://127.0.0.1:{port}"  # it answers, degraded (503) or not
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("tradewire serve did not answer /healthz within 60 s")
