"""The extraction workers start with what their parent loaded for them."""

from __future__ import annotations

import asyncio
import mmap
from pathlib import Path

import py3langid.langid

from tests.support.cli import TEST_SETTINGS, Tradewire
from tests.support.feeds import item, news_page, rss
from tradewire.ingest.articles.jobs import PageJob
from tradewire.ingest.articles.workers import WorkerPool
from tradewire.ingest.configuration import load_config, load_enrichment
from tradewire.ingest.demo.site import LocalSite
from tradewire.ingest.runtime import open_runtime


def _language_model_mapped() -> bool:
    base = py3langid.langid.IDENTIFIER.nb_ptc
    while getattr(base, "base", None) is not None:
        base = base.base
    return isinstance(base, mmap.mmap)


def test_workers_read_the_language_model_from_its_mapped_copy() -> None:
    """Each worker loads the model itself, from the memory-mapped copy (enrich.language) the parent made sure of:
    a worker that decompressed its own would hold it in ordinary memory."""
    pool = WorkerPool(*load_enrichment(None), workers=2)

    async def mapped() -> set[bool]:
        await pool.warm_up()  # the warm-up classifies a German page: a worker without the model would load it here
        return {await asyncio.wrap_future(pool._pool.schedule(_language_model_mapped)) for _ in range(4)}  # type: ignore[union-attr]

    try:
        assert asyncio.run(mapped()) == {True}
    finally:
        pool.close()


def test_a_process_that_told_a_language_itself_still_reads_the_model_from_its_mapped_copy() -> None:
    """`tradewire enrich`, the evaluation or a test may classify a language before any worker exists: the model it
    loads is the mapped copy too, so workers forked afterwards inherit that, not a decompressed one."""
    from tradewire.enrich.language import detect_language

    assert detect_language("Die Bundesregierung hat am Montag neue Ausfuhrkontrollen für Chips beschlossen.") == "de"
    assert _language_model_mapped()


def test_the_workers_start_when_first_needed_and_a_pool_never_started_closes() -> None:
    """No worker process (and no extraction machinery) until a page, a screening or a warm-up needs one."""
    unused = WorkerPool(*load_enrichment(None), workers=1)
    assert not unused.started
    unused.close()  # nothing to stop

    pool = WorkerPool(*load_enrichment(None), workers=1)
    html = news_page("US sanctions chip firms", "The United States imposed sanctions on three chip companies. " * 12,
                     canonical="https://example.org/news/chips").encode()
    try:
        assert not pool.started
        page = asyncio.run(pool.process(PageJob("https://example.org/news/chips", html, "entry title", "", None, None)))
        assert pool.started
        assert "imposed sanctions on three chip companies" in page.text
        assert "sanctions" in {tag.name for tag in page.enrichment.tags}
    finally:
        pool.close()


def test_a_cycle_starts_the_workers_and_one_with_nothing_to_extract_still_closes(site: LocalSite, tmp_path: Path) -> None:
    """`run-once`'s workers start with its cycle, not with its runtime; a cycle whose feeds bring nothing new
    closes with its workers perhaps still starting."""
    links = [site.url(f"/news/{number}.html") for number in range(3)]
    for number, link in enumerate(links):
        site.put(f"/news/{number}.html", news_page(f"Export licences story {number}", "The ministry approved export "
                                                  f"licences for rare earths, story {number}. " * 10, canonical=link))
    site.put("/feed.xml", rss([item(link, f"Export licences story {number}") for number, link in enumerate(links)]),
             "application/rss+xml")
    installation = Tradewire(tmp_path)
    installation.write("settings.yaml", {**TEST_SETTINGS, "data_dir": str(tmp_path / "data")})
    installation.feeds({"news": site.url("/feed.xml")})
    config = load_config(installation.config_dir)

    async def cycle() -> tuple[bool, bool, int]:
        async with open_runtime(config) as runtime:
            before = runtime.workers.started
            report = await runtime.run_cycle(config.enabled_feeds)
            return before, runtime.workers.started, report.articles("new")

    assert asyncio.run(cycle()) == (False, True, 3)
    # The same feed again: nothing new (the feed's body is unchanged), no page to extract.
    assert asyncio.run(cycle()) == (False, True, 0)


def test_the_warm_up_waits_for_every_worker() -> None:
    """Each worker takes one warm-up task (they wait for each other), so the warm-up has heard from every worker."""
    pool = WorkerPool(*load_enrichment(None), workers=2)
    try:
        asyncio.run(pool.warm_up())
        assert len({future.result() for future in pool._starting}) == 2
    finally:
        pool.close()


def test_a_pool_started_before_the_runtime_serves_its_cycle_and_closes_with_it(site: LocalSite, tmp_path: Path) -> None:
    """As `run-once` does: the workers forked right after the configuration is read, then the runtime opened on them."""
    link = site.url("/news/0.html")
    site.put("/news/0.html", news_page("Tariffs on steel", "The government imposed new tariffs on steel imports. " * 10,
                                       canonical=link))
    site.put("/feed.xml", rss([item(link, "Tariffs on steel")]), "application/rss+xml")
    installation = Tradewire(tmp_path)
    installation.write("settings.yaml", {**TEST_SETTINGS, "data_dir": str(tmp_path / "data")})
    installation.feeds({"news": site.url("/feed.xml")})
    config = load_config(installation.config_dir)
    pool = WorkerPool.for_config(config)
    pool.start()

    async def cycle() -> int:
        async with open_runtime(config, workers=pool) as runtime:
            assert runtime.workers is pool
            return (await runtime.run_cycle(config.enabled_feeds)).articles("new")

    assert asyncio.run(cycle()) == 1
    assert not pool.started  # closed with the runtime
    pool.close()  # and closing again does nothing
