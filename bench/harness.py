"""What every benchmark shares: timing with warm-up and repeats, result rows, the table, the machine."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Measure:
    """Repeated measurements of one figure: the median decides, min and max show the spread."""

    values: list[float]
    unit: str

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def show(self) -> str:
        if len(self.values) == 1:
            return f"{_fmt(self.values[0])} {self.unit}"
        return f"{_fmt(self.median)} {self.unit} ({_fmt(min(self.values))}–{_fmt(max(self.values))})"


@dataclass
class Row:
    figure: str
    tradewire: Measure | str
    baseline: Measure | str
    ratio: float | None
    goal: str
    met: bool
    notes: list[str] = field(default_factory=list)

    def cells(self) -> list[str]:
        def show(value: Measure | str) -> str:
            return value.show() if isinstance(value, Measure) else value

        ratio = "—" if self.ratio is None else f"{self.ratio:.2f}×"
        return [self.figure, show(self.tradewire), show(self.baseline), ratio, self.goal, "yes" if self.met else "NO"]


def repeat(run: Callable[[], float], *, times: int, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        run()
    return [run() for _ in range(times)]


def timed(function: Callable[[], Any]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def bare_extraction_rate(pages: list[tuple[str, bytes, Any]]) -> float:
    """Pages per second of `trafilatura.bare_extraction` with its defaults: the baseline a user would run."""
    import trafilatura

    return len(pages) / timed(lambda: [trafilatura.bare_extraction(body, url=url) for url, body, _ in pages])


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def _fmt(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"
