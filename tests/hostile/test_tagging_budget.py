"""A page whose text keeps the tagger busy past `ingest.tagging_timeout` is indexed untagged, said on the document,
and not tried again: a keyword-stuffed page cannot hold the extraction workers on every poll."""

from __future__ import annotations

import random

from tests.support.cli import Tradewire
from tests.support.feeds import item, news_page, rss
from tradewire.ingest.demo.site import LocalSite

KEYWORDS = ["制裁", "出口管制", "许可证", "实体清单", "商务部", "美国", "中国", "对", "将", "加征", "关税", "谈判", "不会", "解除", "华为"]


def test_a_page_over_the_tagging_budget_is_indexed_without_tags_and_a_note(site: LocalSite, tradewire: Tradewire) -> None:
    # Keyword-dense Chinese without sentence punctuation: seconds of tagging, far beyond a budget of 50 ms.
    text = "".join(random.Random(3).choices(KEYWORDS, k=20_000))[:40_000]
    page = site.url("/pages/stuffed.html")
    site.put("/pages/stuffed.html", news_page("制裁 关税 出口管制", text, canonical=page))
    feed = site.put("/feeds/stuffed", rss([item(page, "制裁 关税 出口管制", description="关税")]), "application/rss+xml")
    tradewire.settings({"ingest": {"workers": 1, "extraction_timeout": 30, "tagging_timeout": 0.05}})
    tradewire.feeds({"stuffed": feed})

    first = tradewire.run("run-once", timeout=120)
    assert first.returncode == 0, first.stdout + first.stderr
    hits = tradewire.json("search", "", "--limit", "10")["hits"]
    assert len(hits) == 1
    article = tradewire.json("show", hits[0]["id"])
    assert article["extraction"] == "article"  # the page's own text, not the feed's stand-in
    assert len(article["text"]) >= 30_000
    assert article["tags"] == [] and article["events"] == []
    assert "tagging took longer than 0.05 s" in article["tagging_note"]
    assert article["language"] == "zh"

    page_requests = sum(1 for request in site.requests if request.path == "/pages/stuffed.html")
    second = tradewire.run("run-once", timeout=120)
    assert second.returncode == 0, second.stdout + second.stderr
    assert sum(1 for request in site.requests if request.path == "/pages/stuffed.html") == page_requests
    assert tradewire.json("search", "", "--limit", "10")["total"] == 1


def test_a_tagging_budget_not_shorter_than_the_extraction_timeout_is_a_configuration_error(tradewire: Tradewire) -> None:
    tradewire.settings({"ingest": {"extraction_timeout": 30, "tagging_timeout": 30}})
    result = tradewire.run("run-once")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert "tagging_timeout (30 s) must be shorter than extraction_timeout (30 s)" in result.stderr + result.stdout
