"""The README's commands after `make demo`, run as written, on what the demo left behind."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import urllib.request
from pathlib import Path

from tests.support.receivers import free_port
from tests.support.service import wait_for

README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_commands() -> list[list[str]]:
    section = README.read_text(encoding="utf-8").split("### After the demo", 1)[1]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    commands = [shlex.split(line) for line in block.strip().splitlines()]
    assert commands and all(command[0] == ".venv/bin/tradewire" for command in commands)
    return [command[1:] for command in commands]


def test_the_readme_commands_after_the_demo_work_as_written(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRADEWIRE_")}
    env.update({"XDG_DATA_HOME": str(tmp_path / "share"), "TRADEWIRE_SERVER__PORT": str(port), "PYTHONUNBUFFERED": "1"})

    def tradewire(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tradewire", *args], env=env, capture_output=True, text=True,
                              timeout=180, cwd=tmp_path)

    demo = tradewire("demo")
    assert demo.returncode == 0, demo.stderr
    printed = re.findall(r"--demo show (\w+)", demo.stdout)
    assert printed, demo.stdout
    search, show, status, serve = _readme_commands()

    found = tradewire(*search)
    assert found.returncode == 0 and re.search(r"^[1-9]\d* articles?$", found.stdout, re.M), found.stdout + found.stderr
    assert "sanctions" in found.stdout

    shown = tradewire(*[printed[0] if word == "ID" else word for word in show])
    assert shown.returncode == 0, shown.stderr
    assert "export_licenses" in shown.stdout and "rare earth" in shown.stdout, shown.stdout

    table = tradewire(*status)
    assert table.returncode == 0 and "wire" in table.stdout and "failed" not in table.stdout, table.stdout

    process = subprocess.Popen([sys.executable, "-m", "tradewire", *serve], env=env, cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        def page() -> str | None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/?q=tag:sanctions", timeout=5) as response:
                    return response.read().decode()
            except OSError:
                assert process.poll() is None, process.stdout.read() if process.stdout else ""
                return None

        html = wait_for(page, timeout=60, what="the web page over the demo's articles")
        assert "sanctions" in html.lower() and "EU ministers" in html
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            assert response.status == 200
    finally:
        process.terminate()
        process.wait(timeout=60)
    assert tradewire(*status).stdout.count("failed") == 0, "serve marked the demo's feeds failed"
