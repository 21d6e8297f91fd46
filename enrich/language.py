"""Language of an article's text (ISO 639-1)."""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

log = logging.getLogger("tradewire.enrich")

# Enough text to tell the languages apart; py3langid's cost grows with the sample.
_SAMPLE = 600


# The commonest English words: in English news they are a quarter of all words, in other languages nearly none.
_ENGLISH = frozenset("the of and to in a is that for on with as was by it at from has have said will be are its an".split())
_WORD = re.compile(r"[^\W\d_]+")


_LETTER = re.compile(r"[^\W\d_]")
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def detect_language(text: str) -> str | None:
    sample = text[:_SAMPLE]
    letters = len(_LETTER.findall(sample))
    if not letters:
        return None
    if len(_CJK.findall(sample)) > letters / 3:
        return "zh"
    words = _WORD.findall(sample.lower())
    if len(words) >= 8 and sum(1 for word in words if word in _ENGLISH) / len(words) > 0.15:
        return "en"
    # (py3langid, which brings numpy, is imported on first use; its model is read from the uncompressed copy, so
    # neither this process nor the workers it forks later decompress their own)
    _load_model()
    import py3langid

    language, _ = py3langid.classify(sample)
    return language


_loading: threading.Thread | None = None


def load_model_in_background() -> None:
    """Start loading py3langid's model on a thread, so it loads on a core the caller's imports and configuration
    reading leave idle: for the first run, which makes the uncompressed copy (0.6-0.9 s, LZMA decompression outside
    the GIL); from the copy every later process loads it in about 0.04 s where it needs it."""
    global _loading
    if _loading is None:
        _loading = threading.Thread(target=_load_model, name="language-model", daemon=True)
        _loading.start()


def load_model() -> None:
    """py3langid's model, loaded in this process (by the thread load_model_in_background started, or now)."""
    if _loading is not None:
        _loading.join()
    _load_model()


def before_fork() -> None:
    """What a process does before it forks workers that each need the model: it lets a load it started finish (no
    fork in the middle of an import), and when there is no copy for them to read cheaply, it loads the model itself
    for them to inherit rather than each decompressing its own."""
    if _loading is not None or not model_copy_ready():
        load_model()


# The uncompressed copy of py3langid's model: one .npy file per array, memory-mapped when read, so a load costs
# a few milliseconds instead of decompressing 68 MB, and processes forked afterwards share the mapped pages.
_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")
_COPY_FORMAT = 1


def _load_model() -> None:
    import py3langid
    from py3langid import langid

    if langid.IDENTIFIER is not None:
        return
    try:
        langid.IDENTIFIER = _from_copy(langid)
    except Exception as error:  # noqa: BLE001 - any surprise (another py3langid, a full disk) costs speed, not results
        log.debug("language model copy not used (%s); loading py3langid's own", error)
    py3langid.classify("")  # loads py3langid's model its own way when the copy was not used; later calls reuse it


def _model_file() -> Path | None:
    """py3langid's compressed model, found without importing py3langid (and numpy with it)."""
    spec = importlib.util.find_spec("py3langid")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "model.npz.xz"


def model_copy_dir() -> Path | None:
    """Where py3langid's model is kept uncompressed (named after the compressed file's size and time, so another
    version of py3langid makes a new copy), or None when the compressed file is not where py3langid keeps it."""
    from tradewire.core.files import cache_home

    source = _model_file()
    try:
        stat = source.stat() if source is not None else None
    except OSError:
        return None
    if stat is None:
        return None
    return cache_home() / f"langid-{stat.st_size}-{stat.st_mtime_ns}-v{_COPY_FORMAT}"


def model_copy_ready() -> bool:
    """Whether the uncompressed copy exists, so that loading the model is cheap in every process (checked without
    importing py3langid)."""
    directory = model_copy_dir()
    return directory is not None and directory.is_dir()


def _from_copy(langid: Any) -> Any:
    """py3langid's identifier built from the uncompressed copy (made now from the compressed model when missing),
    as py3langid's own LanguageIdentifier.from_model_file builds it."""
    import numpy as np
    from py3langid import modelio

    source = Path(langid.MODEL_DIR) / langid.MODEL_FILE
    if source != _model_file():
        raise FileNotFoundError(f"py3langid's model is not where it was expected ({source})")
    directory = model_copy_dir()
    if directory is None:
        raise FileNotFoundError("py3langid's model file")
    if not directory.is_dir():
        _make_copy(directory, source)
    try:
        arrays = {name: np.load(directory / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in _ARRAYS}
    except (OSError, ValueError):
        shutil.rmtree(directory, ignore_errors=True)  # a damaged copy is made again by the next load
        raise
    return langid.LanguageIdentifier(
        np.asarray(arrays["ptc"]), np.asarray(arrays["pc"]), arrays["classes"].tolist(),
        modelio._to_array(arrays["nextmove"]), arrays["out_feat"].tolist(),
        tk_row=modelio._to_array(arrays["nextmove_row"]),
    )


def _make_copy(directory: Path, source: Path) -> None:
    """Write the copy beside its final place and rename it there: a reader sees the whole copy or none, and of
    two processes making it at once, the second's rename fails harmlessly."""
    import lzma

    import numpy as np

    directory.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".langid-", dir=directory.parent))
    try:
        with tempfile.TemporaryFile(dir=work) as unpacked:
            with lzma.open(source) as compressed:
                shutil.copyfileobj(compressed, unpacked, length=1 << 20)
            unpacked.seek(0)
            with np.load(unpacked, allow_pickle=False) as data:
                for name in _ARRAYS:
                    np.save(work / f"{name}.npy", data[name], allow_pickle=False)
        try:
            os.rename(work, directory)
        except OSError:
            if not directory.is_dir():
                raise
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
