"""`python -m bench.cycle CONFIG_DIR CYCLES`: run tradewire's polling cycles in a process of their own.

Prints one JSON line per cycle: its seconds, the feed and article outcomes, and the process's peak RSS
so far, which a benchmark running in its own process would blur.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from pathlib import Path

from tradewire.ingest.configuration import load_config
from tradewire.ingest.runtime import open_runtime


async def cycles(config_dir: Path, count: int) -> None:
    config = load_config(config_dir)
    async with open_runtime(config) as runtime:
        for _ in range(count):
            started = time.perf_counter()
            report = await runtime.run_cycle(config.enabled_feeds)
            seconds = time.perf_counter() - started
            print(json.dumps({
                "seconds": seconds,
                "feeds": {outcome: report.count(outcome) for outcome in ("ok", "not-modified", "failed")},
                "new": report.articles("new"),
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }), flush=True)


if __name__ == "__main__":
    asyncio.run(cycles(Path(sys.argv[1]), int(sys.argv[2])))
