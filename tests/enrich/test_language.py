"""The language model's uncompressed copy: made on first use, read by later processes, the same model as py3langid's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

TEXTS = [
    "Die Regierung hat neue Zölle auf Stahl beschlossen und die Sanktionen gegen drei Unternehmen verlängert.",
    "El gobierno ha impuesto nuevos aranceles al acero y ha prorrogado las sanciones contra tres empresas.",
    "Le gouvernement a imposé de nouveaux droits de douane sur l'acier et prolongé les sanctions.",
    "Правительство ввело новые пошлины на сталь и продлило санкции против трёх компаний.",
    "Il governo ha imposto nuovi dazi sull'acciaio e prorogato le sanzioni contro tre aziende.",
    "政府对钢铁征收新关税",
    "",
]

_PROGRAM = """
import json, mmap, sys
import py3langid.langid as langid
from tradewire.enrich.language import load_model, model_copy_dir
load_model()
texts = json.loads(sys.argv[1])
own = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE)
base = langid.IDENTIFIER.nb_ptc
while getattr(base, "base", None) is not None:
    base = base.base
print(json.dumps({
    "copy": str(model_copy_dir()),
    "mapped": isinstance(base, mmap.mmap),
    "loaded": [list(map(str, langid.IDENTIFIER.rank(text)[:5])) for text in texts],
    "own": [list(map(str, own.rank(text)[:5])) for text in texts],
}))
"""


def _load_in_a_process(cache: Path) -> dict:  # type: ignore[type-arg]
    environment = {**os.environ, "TRADEWIRE_CACHE_DIR": str(cache)}
    done = subprocess.run([sys.executable, "-c", _PROGRAM, json.dumps(TEXTS)], env=environment, capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_the_first_load_makes_the_copy_and_later_loads_read_it_as_the_same_model(tmp_path: Path) -> None:
    first = _load_in_a_process(tmp_path)
    copy = Path(first["copy"])
    assert copy.parent == tmp_path and copy.is_dir()
    assert sorted(path.name for path in copy.iterdir()) == sorted(
        f"{name}.npy" for name in ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat"))
    assert [path for path in tmp_path.iterdir() if path != copy] == []  # no work directory left behind
    made = {path.name: path.stat().st_mtime_ns for path in copy.iterdir()}
    second = _load_in_a_process(tmp_path)
    assert second["mapped"]  # read from the copy, not decompressed again
    assert {path.name: path.stat().st_mtime_ns for path in copy.iterdir()} == made
    for run in (first, second):
        assert run["loaded"] == run["own"]


def test_a_damaged_copy_falls_back_to_py3langid_and_is_made_again(tmp_path: Path) -> None:
    copy = Path(_load_in_a_process(tmp_path)["copy"])
    (copy / "nextmove.npy").write_bytes(b"not an array")
    damaged = _load_in_a_process(tmp_path)
    assert damaged["loaded"] == damaged["own"]
    assert not copy.exists()
    again = _load_in_a_process(tmp_path)
    assert again["mapped"] and again["loaded"] == again["own"]


def test_an_unwritable_cache_only_costs_the_copy(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache directory would be")
    run = _load_in_a_process(blocked / "cache")
    assert run["loaded"] == run["own"] and not run["mapped"]
