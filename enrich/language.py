"""Language of an article's text (ISO 639-1)."""

from __future__ import annotations

import re
import threading

import py3langid

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
    language, _ = py3langid.classify(sample)
    return language


_loading: threading.Thread | None = None


def load_model_in_background() -> None:
    """Start loading py3langid's model on a thread: 0.9 s, most of it LZMA decompression, which runs outside the
    GIL, so it takes a core the caller's imports and configuration reading leave idle."""
    global _loading
    if _loading is None:
        _loading = threading.Thread(target=_load_model, name="language-model", daemon=True)
        _loading.start()


def load_model() -> None:
    """py3langid's model, loaded in this process (by the thread load_model_in_background started, or now): worker
    processes forked afterwards inherit it instead of each loading its own."""
    if _loading is not None:
        _loading.join()
    _load_model()


def _load_model() -> None:
    py3langid.classify("")  # its first classification loads the model; later ones reuse it
