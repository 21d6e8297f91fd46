"""The analysts' web page in a real browser: search, facet, article with evidence marked, escaping, alerts, feeds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.ingest.test_end_to_end import TITLE, publish_seed
from tests.support.browser import chromium
from tests.support.cli import Tradewire
from tests.support.feeds import item, news_page, rss
from tests.support.service import FAST_POLLING, Served, wait_for
from tradewire.enrich.screening.entries import ListEntry
from tradewire.ingest.demo.site import LocalSite
from tradewire.search.alerts import Outbox
from tradewire.search.alerts.rules import Rule

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
HOSTILE_TITLE = 'Sanctions <script>window.__xss = 1</script> on "Acme" & Co'
HOSTILE_TEXT = (
    "The U.S. Treasury imposed sanctions on Acme Trading on Tuesday. "
    "<script>window.__xss = 2</script><img src=x onerror=\"window.__xss = 3\"> "
    "Acme said the sanctions were unjustified and that it would appeal."
)


@pytest.fixture
def served(site: LocalSite, tradewire: Tradewire, seed_text: str) -> Served:
    publish_seed(site, seed_text)
    hostile = site.url("/news/hostile.html")
    # The page is valid HTML with the markup escaped: extraction returns it as text, as a real article quoting code would.
    import html as html_module
    site.put("/news/hostile.html", news_page(HOSTILE_TITLE, html_module.escape(HOSTILE_TEXT) * 2, canonical=hostile))
    site.put("/feed.xml", rss([item(site.url("/news/china-us-talks.html"), TITLE), item(hostile, HOSTILE_TITLE)]),
             "application/rss+xml")
    tradewire.settings(FAST_POLLING)
    tradewire.feeds({"trade": site.url("/feed.xml")}, interval="2s")
    service = Served(tradewire).start()
    wait_for(lambda: service.get("/search?size=0")["total"] == 2, timeout=60, what="both articles")
    yield service
    service.stop()


def test_search_facet_article_and_evidence_in_a_browser(served: Served, seed_text: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    with chromium() as browser:
        page = browser.new_page()
        page.goto(served.url + "/")
        page.fill("input[name=q]", '"rare earth"')
        page.click("button[type=submit]")
        page.wait_for_selector("article.hit")
        assert page.locator("article.hit h2 a.title").all_inner_texts() == [TITLE]
        assert "rare earth" in page.locator("article.hit .snippet mark").first.inner_text().lower()

        page.click("a.facet-tags[data-value=export_licenses]")
        page.wait_for_url(re.compile(r"tag=export_licenses"))
        assert page.locator("p.filters a.chip").inner_text().startswith("tag:export_licenses")
        assert page.locator("#total").inner_text() == "1 article"

        page.click("article.hit h2 a.title")
        page.wait_for_selector("#article-text")
        assert page.locator("#article-title").inner_text() == TITLE
        marks = page.locator("#article-text mark.evidence")
        assert marks.count() >= 3
        tagged = [marks.nth(i).get_attribute("data-tags") for i in range(marks.count())]
        assert any("export_licenses" in tags for tags in tagged)
        licence = next(marks.nth(i).inner_text() for i in range(marks.count()) if "export_licenses" in tagged[i])
        assert licence in seed_text
        assert marks.first.evaluate("element => getComputedStyle(element).backgroundColor") != "rgba(0, 0, 0, 0)"
        # Each tag leads with its modality in words and its best sentence; the rule ids wait behind a disclosure.
        licences = page.locator('.tag[data-tag="export_licenses"]')
        assert licences.locator(".modality").inner_text() == "imposed"
        assert licences.locator(".best-evidence q").inner_text() in seed_text
        assert not licences.locator("details.rules .evidence-item").first.is_visible()
        licences.locator("details.rules summary").click()
        assert "export_licenses." in licences.locator("details.rules .evidence-item").first.inner_text()
        legend = page.locator("#modality-legend").inner_text()
        assert all(word in legend for word in ("imposed", "lifted", "threatened", "denied", "reported"))
        shot = ARTIFACTS / "web-article.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"\nscreenshot: {shot}")
        assert shot.stat().st_size > 10_000


def test_article_text_with_script_is_shown_as_text(served: Served) -> None:
    with chromium() as browser:
        page = browser.new_page()
        page.goto(served.url + "/?q=acme")
        page.wait_for_selector("article.hit")
        title = page.locator("article.hit h2 a.title")
        assert title.inner_text() == HOSTILE_TITLE
        assert "<script>" in page.locator("article.hit .snippet").inner_text()
        title.click()
        page.wait_for_selector("#article-text")
        assert "<script>window.__xss = 2</script>" in page.locator("#article-text").inner_text()
        assert page.locator("#article-title").inner_text() == HOSTILE_TITLE
        assert page.evaluate("() => window.__xss") is None
        assert page.locator("#article-text script, #article-text img").count() == 0
        page.screenshot(path=str(ARTIFACTS / "web-escaped.png"), full_page=True)


def test_alerts_and_feed_health_pages(served: Served) -> None:
    with chromium() as browser:
        page = browser.new_page()
        page.goto(served.url + "/ui/alerts")
        rows = page.locator("#alerts tbody tr")
        assert rows.count() >= 2
        assert "new-sanctions" in page.locator("#alerts").inner_text()
        page.goto(served.url + "/ui/feeds")
        assert "trade" in page.locator("#feeds").inner_text()
        assert page.locator("main p .ok").inner_text() == "ok"


def test_a_designation_alert_reads_as_one_on_the_alerts_page(served: Served) -> None:
    outbox = Outbox(served.tradewire.data_dir / "alerts.db")
    try:
        entry = ListEntry(list_name="ofac-sdn", entry_id="36592", kind="person", names=("Igor Ivanovich SECHIN",),
                          programs=("RUSSIA-EO14024",))
        outbox.record_designation(Rule(name="new-designations", designations=True, channels=["log"]), "listed", entry,
                                  "listed on ofac-sdn", sequence=0)
    finally:
        outbox.close()
    with chromium() as browser:
        page = browser.new_page()
        page.goto(served.url + "/ui/alerts")
        assert "listed on ofac-sdn: Igor Ivanovich SECHIN" in page.locator("#alerts").inner_text()
        page.evaluate("refresh()")  # the live refresh renders it the same way
        page.wait_for_function("document.querySelector('#alerts').innerText.includes('(RUSSIA-EO14024)')")
        assert "undefined" not in page.locator("#alerts").inner_text()


def test_bad_query_shows_the_error_on_the_page(served: Served) -> None:
    with chromium() as browser:
        page = browser.new_page()
        page.goto(served.url + "/?q=tag%3A%28sanctions")
        assert "query error at position 14" in page.locator("#query-error").inner_text()


def test_the_page_works_under_its_content_security_policy_and_cannot_be_framed(served: Served, site: LocalSite) -> None:
    with chromium() as browser:
        page = browser.new_page()
        refused: list[str] = []
        page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
        for path in ("/?q=sanctions", "/ui/feeds", "/ui/alerts"):
            page.goto(served.url + path)
            page.wait_for_load_state("load")
            # The style sheet applies (the header's dark band) and, on the alerts page, the live-refresh script loaded.
            assert page.locator("header").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(29, 36, 48)"
        assert page.evaluate("() => typeof refresh") == "function"
        assert refused == [], "the page itself breaks none of its policy"
        # An inline script, as injected markup would be, does not run.
        page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.__inline = 1';
                                 document.body.appendChild(s); }""")
        assert page.evaluate("() => window.__inline") is None
        assert len(refused) == 1 and "inline script" in refused[0], refused

        # Another site framing the page gets an empty frame (clickjacking).
        page.goto(site.put("/frame.html", f'<html><body><iframe src="{served.url}/ui/feeds"></iframe></body></html>'))
        framed = next(frame for frame in page.frames if frame != page.main_frame)
        assert "Feed" not in framed.evaluate("() => document.body ? document.body.innerText : ''")
