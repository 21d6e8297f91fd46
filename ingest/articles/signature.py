"""An article's MinHash signature: copies of one story share most of its values, and story matching compares them.

The text's 5-word shingles (lower-cased, not stemmed: copies share their exact words) are hashed with CRC-32,
mixed with MurmurHash3's 32-bit finaliser and passed through 64 affine permutations modulo 2^32 (odd
multipliers, so each is a bijection); the signature keeps each permutation's minimum. The permutations are
those of datasketch 2's `MinHash(num_perm=64, seed=7, hashfunc=zlib.crc32)`, so signatures stored by earlier
versions still compare; numpy alone computes them (datasketch imported SciPy, 0.8 s at every start), and
only in the process that computes them (the workers): comparing two (`similarity`, the parent's story matching)
needs no numpy.
"""

from __future__ import annotations

import functools
import re
import zlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

SIGNATURE_PERMUTATIONS = 64
_SEED = 7
_SHINGLE = 5
_WORDS = re.compile(r"\w+")


@functools.cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    import numpy as np

    generator = np.random.RandomState(_SEED)
    multipliers = generator.randint(0, 1 << 31, SIGNATURE_PERMUTATIONS, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    offsets = generator.randint(0, 1 << 32, SIGNATURE_PERMUTATIONS, dtype=np.uint32)
    return multipliers, offsets


def _mix(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's finaliser: spreads CRC-32's structure over all 32 bits (uint32 arithmetic wraps)."""
    import numpy as np

    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def signature(title: str, text: str) -> bytes:
    """The signature of an article's text (its title when the text has no words), 64 little-endian uint32."""
    import numpy as np

    multipliers, offsets = _permutations()
    words = _WORDS.findall(text.lower()) or _WORDS.findall(title.lower()) or [""]
    size = min(_SHINGLE, len(words))
    hashes = np.array(
        [zlib.crc32(" ".join(words[i : i + size]).encode()) for i in range(len(words) - size + 1)], dtype=np.uint32
    )
    with np.errstate(over="ignore"):
        permuted = _mix(hashes).reshape(-1, 1) * multipliers + offsets
    return permuted.min(axis=0).astype("<u4").tobytes()


def similarity(first: bytes, second: bytes) -> float:
    """The share of equal values: an estimate of the two texts' Jaccard similarity over shingles (compared in this
    machine's byte order: equal values are equal in any order)."""
    a, b = memoryview(first).cast("I"), memoryview(second).cast("I")
    return sum(x == y for x, y in zip(a, b)) / len(a)
