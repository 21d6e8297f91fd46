"""The watchlist in articles, through a real `run-once` over a feed and pages served on 127.0.0.1: an article naming a
watched party is found by `watched:`, shows the party, and a `watchlist: true` rule alerts on it once (with the
article's tags and modality); a rule that also asks for sanctions alerts only on the article about sanctions."""

from __future__ import annotations

from tests.support.cli import Tradewire
from tests.support.feeds import item, news_page, rss
from tests.support.receivers import WebhookReceiver
from tradewire.ingest.demo.site import LocalSite

SANCTIONS_TEXT = (
    "The U.S. Treasury imposed sanctions on Meridian Polymer Works on Tuesday, freezing its assets and barring "
    "American firms from dealing with the chemicals trader. The company denied shipping goods to Iran and said "
    "it would challenge the designation in court."
)
TRADE_FAIR_TEXT = (
    "Meridian Polymer Works opened a new resin plant near Gdansk on Monday, adding 200 jobs. The company, which "
    "sells packaging film to supermarket chains across Europe, expects sales to grow by a tenth next year as "
    "demand for recycled plastics rises."
)
UNRELATED_TEXT = (
    "Freight rates fell for a third week as container lines added capacity on Asia to Europe routes. Shippers "
    "said polymer works and meridian lines were quiet, and port congestion in Rotterdam eased before the holidays."
)
TITLES = {
    "sanctioned": "US sanctions Meridian Polymer Works",
    "plant": "Meridian Polymer Works opens resin plant",
    "freight": "Freight rates slide again",
}


def _installation(tradewire: Tradewire, site: LocalSite) -> WebhookReceiver:
    items = []
    for slug, text in (("sanctioned", SANCTIONS_TEXT), ("plant", TRADE_FAIR_TEXT), ("freight", UNRELATED_TEXT)):
        page = site.url(f"/news/{slug}.html")
        site.put(f"/news/{slug}.html", news_page(TITLES[slug], text, canonical=page))
        items.append(item(page, TITLES[slug]))
    site.put("/feed.xml", rss(items), "application/rss+xml")
    tradewire.feeds({"trade": site.url("/feed.xml")})
    tradewire.write(
        "watchlist.yaml",
        {
            "parties": [
                {"name": "Meridian Polymer Works Sp. z o.o.", "country": "PL", "note": "film supplier since 2021"},
                {"name": "Northwind Logistics LLC"},
            ]
        },
    )
    hook = WebhookReceiver(site, "/hook")
    tradewire.write(
        "alerts.yaml",
        {
            "channels": {"hook": {"type": "webhook", "url": hook.url}},
            "rules": [
                {"name": "watched-in-news", "watchlist": True, "channels": ["hook"]},
                {"name": "watched-in-sanctions", "watchlist": True, "query": "tag:sanctions", "channels": ["hook"]},
            ],
        },
    )
    return hook


def _titles(tradewire: Tradewire, query: str) -> set[str]:
    return {hit["title"] for hit in tradewire.json("search", query)["hits"]}


def test_an_article_naming_a_watched_party_is_found_shown_and_alerted_once(
    tradewire: Tradewire, site: LocalSite
) -> None:
    hook = _installation(tradewire, site)
    tradewire.run("run-once", check=True)

    watched = {TITLES["sanctioned"], TITLES["plant"]}
    assert _titles(tradewire, "watched:*") == watched
    assert _titles(tradewire, 'watched:"Meridian Polymer Works Sp. z o.o."') == watched
    assert _titles(tradewire, 'watched:"Northwind Logistics LLC"') == set()
    assert _titles(tradewire, "watched:* AND tag:sanctions") == {TITLES["sanctioned"]}

    (sanctioned,) = tradewire.json("search", "watched:* tag:sanctions")["hits"]
    document = tradewire.json("show", sanctioned["id"])
    (mention,) = document["watched"]
    assert (mention["party"], mention["note"], mention["text"]) == (
        "Meridian Polymer Works Sp. z o.o.",
        "film supplier since 2021",
        "Meridian Polymer Works",
    )
    assert document["text"][mention["start"] : mention["end"]] == "Meridian Polymer Works"
    shown = tradewire.run("show", sanctioned["id"], check=True).stdout
    assert "watched parties" in shown and "Meridian Polymer Works Sp. z o.o. — film supplier since 2021" in shown

    by_rule: dict[str, list[str]] = {}
    for alert in hook.received:
        by_rule.setdefault(alert["rule"], []).append(alert["title"])
    assert sorted(by_rule["watched-in-news"]) == sorted(watched)
    assert by_rule["watched-in-sanctions"] == [TITLES["sanctioned"]]
    (about_sanctions,) = [a for a in hook.received if a["rule"] == "watched-in-sanctions"]
    assert [(tag["name"], tag["modality"]) for tag in about_sanctions["tags"]] == [("sanctions", "asserted")]
    assert about_sanctions["watched"][0]["party"] == "Meridian Polymer Works Sp. z o.o."
    assert "watched party Meridian Polymer Works Sp. z o.o." in about_sanctions["why"]

    # Polled again: the articles are unchanged, and nothing alerts twice.
    tradewire.run("run-once", check=True)
    tradewire.run("alerts", "deliver", check=True)
    assert len(hook.received) == 3
