"""Tagging time per character as keyword-dense text grows: 10k, 40k and 80k characters, the ratio 80k / 10k.

Workload: trade keywords, names and modality cues repeated in random order without sentence punctuation (what a
keyword-stuffed page or a page that lost its full stops gives the tagger), in English (words and spaces) and in
Chinese (characters without spaces), fixed seeds. Each size is `Enricher.enrich` on one such text, the median of
repeats. Near-linear tagging keeps the time per character flat: the goal is a ratio of at most 1.5.
"""

from __future__ import annotations

import random
import time

from bench.harness import Measure, Row
from tradewire.enrich import Enricher
from tradewire.ingest.configuration import load_config

SIZES = (10_000, 40_000, 80_000)
_SHAPES = {
    "English": (
        "sanctions export licence controls Entity List tariffs talks Treasury Ministry of Commerce China United States "
        "Huawei imposed added lifted threatened denied negotiations Commerce Department Bureau of Industry and Security "
        "Reuters Russia Rosneft duties anti-dumping said would not could according to officials frozen assets "
        "Secretary Gina Raimondo on chips licences granted by the same day Westminster City Council".split(),
        " ",
    ),
    "Chinese": (
        "制裁 出口管制 许可证 实体清单 商务部 美国 中国 对 将 加征 关税 谈判 不会 可能 解除 华为 实施 宣布 反制 措施 据悉 未 磋商 海关总署".split(),
        "",
    ),
}


def keyword_dense(words: list[str], separator: str, length: int, seed: int = 1) -> str:
    chosen = random.Random(seed).choices(words, k=length)
    return separator.join(chosen)[:length]


def run(quick: bool = False, es_url: str | None = None) -> list[Row]:
    config = load_config(None)
    enricher = Enricher(config.taxonomy, config.gazetteer)
    enricher.enrich(keyword_dense(*_SHAPES["English"], 2_000))
    rows = []
    for shape, (words, separator) in _SHAPES.items():
        per_char: dict[int, Measure] = {}
        for size in SIZES:
            text = keyword_dense(words, separator, size)
            times = []
            for _ in range(1 if quick else 3):
                started = time.perf_counter()
                enricher.enrich(text)
                times.append((time.perf_counter() - started) / size * 1e6)
            per_char[size] = Measure(times, "µs/char")
        ratio = per_char[SIZES[-1]].median / per_char[SIZES[0]].median
        rows.append(Row(
            f"tagging, keyword-dense {shape} without punctuation: time per character at 80k vs 10k characters",
            per_char[SIZES[-1]], per_char[SIZES[0]], ratio, "≤ 1.5× (flat)", ratio <= 1.5,
            notes=[", ".join(f"{size // 1000}k: {measure.show()} ({measure.median * size / 1e6:.2f} s)"
                             for size, measure in per_char.items())],
        ))
    return rows
