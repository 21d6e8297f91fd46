"""tradewire as a user installs it outside the checkout: a wheel (not editable) in a fresh virtual environment,
the shipped configuration and demo articles as package data, run from another directory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "ingest" / "demo" / "articles" / "china-us-talks.txt"


def test_the_wheel_runs_the_demo_and_enrich_from_any_directory(tmp_path: Path) -> None:
    quiet = {**os.environ, "PYTHONWARNINGS": "ignore"}
    shutil.rmtree(REPO / "build", ignore_errors=True)  # setuptools' build tree: a stale module would be packaged
    # No build isolation: the test needs no network; setuptools comes from the dev dependencies.
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(tmp_path / "wheels"), str(REPO)], check=True, env=quiet, capture_output=True)
    (wheel,) = (tmp_path / "wheels").glob("tradewire-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", str(wheel)],
                   check=True, env=quiet, capture_output=True)
    # The dependencies are those of the running environment (a path entry, so its editable install stays off).
    site = Path(subprocess.check_output([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                        text=True).strip())
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRADEWIRE_")}
    env["XDG_DATA_HOME"] = str(tmp_path / "share")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(venv / "bin" / "tradewire"), *args], cwd=elsewhere, env=env, capture_output=True,
                              text=True, timeout=300)

    where = subprocess.check_output([str(python), "-c", "import tradewire.ingest as m; print(m.__file__)"],
                                    cwd=elsewhere, env=env, text=True)
    assert where.startswith(str(site)), f"imported from {where}, not from the installed wheel"
    demo = run("demo")
    assert demo.returncode == 0, demo.stderr
    assert "First poll: feeds 2 ok" in demo.stdout and "7 new" in demo.stdout
    (elsewhere / "article.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    enriched = run("enrich", "article.txt")
    assert enriched.returncode == 0, enriched.stderr
    assert "negotiations" in enriched.stdout and "export_licenses" in enriched.stdout
