"""One contract, two backends: the same documents in give the same results out, on SQLite and Elasticsearch.

The documents are written by hand below, and so is every expected result, from what each document says.
The in-process matcher (used by alert rules) must agree with both.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest

from tests.support.elastic import fresh_backend
from tradewire.core.article import Article, ListedParty
from tradewire.core.enrichment import Entity, Event, Evidence, Tag
from tradewire.search.backends import IndexBackend
from tradewire.search.backends.elastic import ElasticsearchBackend
from tradewire.search.query import matches, parse_query
from tradewire.search.results import SearchRequest, encode_cursor

NAMES = {
    "CN": ("China", "country"), "US": ("United States", "country"), "RU": ("Russia", "country"),
    "JP": ("Japan", "country"), "EU": ("European Union", "organization"), "mofcom": ("Ministry of Commerce (China)", "ministry"),
    "us-commerce": ("U.S. Department of Commerce", "agency"), "general-motors": ("General Motors", "company"),
}


def doc(
    name: str, title: str, text: str, *, tags: dict[str, str] | None = None, entities: tuple[str, ...] = (),
    source: str = "reuters.com", published: str | None = "2025-06-08T12:00:00", language: str = "en",
    story: str | None = None, events: tuple[tuple[str, ...], ...] = (), feed_tags: tuple[str, ...] = (),
    listed: tuple[tuple[str, str, str], ...] = (),
) -> Article:
    evidence = Evidence(text=text[:40], start=0, end=min(40, len(text)))
    return Article(
        id=name, url=f"https://{source}/{name}", canonical_url=f"https://{source}/{name}", feed="contract",
        feed_tags=list(feed_tags),
        source=source, title=title, text=text, language=language,
        published=datetime.fromisoformat(published).replace(tzinfo=timezone.utc) if published else None,
        fetched=datetime(2025, 6, 11, tzinfo=timezone.utc),
        tags=[Tag(name=tag, score=0.8, modality=modality, evidence=[evidence.model_copy(update={"modality": modality})])  # type: ignore[arg-type]
              for tag, modality in (tags or {}).items()],
        entities=[Entity(id=e, name=NAMES[e][0], type=NAMES[e][1]) for e in entities],  # type: ignore[arg-type]
        events=[Event(measure=measure, tag="sanctions", actor=NAMES[actor][0], actor_id=actor, target=NAMES[target][0],
                      target_id=target, evidence=evidence, modality=modality or "asserted")  # type: ignore[arg-type]
                for measure, actor, target, modality in (event + (None,) * (4 - len(event)) for event in events)],
        content_hash=f"hash-{name}", story_id=story or name,
        listed=[ListedParty(list=list_name, entry_id=entry_id, programs=["RUSSIA-EO14024"], name=party, text=party,
                            start=text.index(party), end=text.index(party) + len(party), score=0.95)
                for list_name, entry_id, party in listed],
    )


DOCUMENTS = [
    doc("listing", "US adds Chinese chipmakers to Entity List",
        "The Commerce Department added 27 Chinese companies to the Entity List on Tuesday. Sanctions apply at once.",
        tags={"sanctions": "asserted", "export_controls": "asserted"}, entities=("US", "CN", "us-commerce"),
        published="2025-06-10T14:30:00", story="story-listing", events=(("entity listing", "us-commerce", "CN"),),
        feed_tags=("Government", "us")),
    doc("listing-copy", "Washington blacklists 27 Chinese companies",
        "The Commerce Department added 27 Chinese companies to the Entity List on Tuesday. Sanctions apply at once.",
        tags={"sanctions": "asserted", "export_controls": "asserted"}, entities=("US", "CN", "us-commerce"),
        source="apnews.com", published="2025-06-10T15:05:00", story="story-listing",
        events=(("entity listing", "us-commerce", "CN"),)),
    doc("steel", "EU imposes anti-dumping duties on steel",
        "Brussels imposed anti-dumping duties of up to 35.6% on cold-rolled steel from China.",
        tags={"trade_remedies": "asserted", "tariffs": "asserted"}, entities=("EU", "CN"), source="politico.eu",
        published="2025-06-09T10:00:00"),
    doc("rare-earth", "China approves rare earth export licences",
        "China's Ministry of Commerce approved export licences for rare earths; General Motors suppliers obtained a license.",
        tags={"export_licenses": "asserted"}, entities=("CN", "mofcom", "general-motors"), source="xinhua.net",
        published="2025-06-08T09:00:00", listed=(("ofac-sdn", "7001", "Ministry of Commerce"), ("UN-SC", "QDe.1", "General Motors"))),
    doc("threat", "Washington threatens sanctions on Moscow banks",
        "U.S. officials threatened sanctions on Russian banks such as Sberbank but took no action.",
        tags={"sanctions": "hypothetical"}, entities=("US", "RU"), published="2025-06-07T18:00:00",
        events=(("sanctions", "US", "RU", "hypothetical"),), listed=(("ofac-sdn", "9001", "Sberbank"),)),
    doc("zh-controls", "商务部宣布对部分稀土物项实施出口管制",
        "商务部宣布对部分中重稀土相关物项实施出口管制，自公布之日起正式实施。",
        tags={"export_controls": "asserted"}, entities=("CN", "mofcom"), source="mofcom.gov.cn",
        published="2025-06-10T02:00:00", language="zh", feed_tags=("government",)),
    doc("fifa", "FIFA sanctions club over unpaid wages",
        "FIFA's disciplinary committee sanctioned the club with a transfer ban.", source="bbc.co.uk",
        published="2025-06-05T20:00:00"),
    doc("undated", "Trade talks resume in Geneva",
        "Negotiators resumed trade talks in Geneva on tariffs and market access.",
        tags={"negotiations": "asserted"}, entities=("US", "CN"), published=None),
    doc("late", "US and Japan agree tariff cut",
        "The United States and Japan agreed to cut tariffs on cars after late-night talks.",
        tags={"tariffs": "asserted", "negotiations": "asserted"}, entities=("US", "JP"), source="nikkei.com",
        published="2025-06-10T23:30:00"),
]
ALL = {d.id for d in DOCUMENTS}

# Query -> the documents that must match, by reading the documents above.
EXPECTED: dict[str, set[str]] = {
    "": ALL,
    "tag:sanctions": {"listing", "listing-copy", "threat"},
    "asserted:sanctions": {"listing", "listing-copy"},
    "sanctions": {"listing", "listing-copy", "threat", "fifa"},
    "sanctions -tag:sanctions": {"fifa"},
    '"rare earth"': {"rare-earth"},
    "licence": {"rare-earth"},
    "lic*": {"rare-earth"},
    "China": {"steel", "rare-earth"},
    "china's": {"rare-earth"},
    '"entity list"': {"listing", "listing-copy"},
    "entity:CN": {"listing", "listing-copy", "steel", "rare-earth", "zh-controls", "undated"},
    'entity:"general motors"': {"rare-earth"},
    "entity:mofcom AND lang:zh": {"zh-controls"},
    "tag:sanctions -source:apnews.com": {"listing", "threat"},
    "(tag:tariffs OR tag:trade_remedies) AND entity:EU": {"steel"},
    "tag:tariffs OR tag:negotiations": {"steel", "undated", "late"},
    "published:[2025-06-08 TO 2025-06-09]": {"steel", "rare-earth"},
    "published:>=2025-06-10": {"listing", "listing-copy", "zh-controls", "late"},
    "published:<2025-06-08": {"threat", "fifa"},
    "published:{2025-06-07 TO 2025-06-10}": {"steel", "rare-earth"},
    "lang:zh": {"zh-controls"},
    "出口管制": {"zh-controls"},
    "稀土": {"zh-controls"},
    "story:story-listing": {"listing", "listing-copy"},
    'event.measure:"entity listing" AND event.target:china': {"listing", "listing-copy"},
    "event.actor:us-commerce": {"listing", "listing-copy"},
    "event.target:RU": set(),  # a threatened measure is on the document, not in the event fields
    "feed_tag:government": {"listing", "zh-controls"},
    "feed_tag:us AND tag:sanctions": {"listing"},
    "listed:ofac-sdn": {"threat", "rare-earth"},
    "listed:un-sc": {"rare-earth"},
    "listed:OFAC-SDN AND tag:sanctions": {"threat"},
    "listed:*": {"threat", "rare-earth"},
    "NOT listed:*": ALL - {"threat", "rare-earth"},
    "listed:eu-fsf": set(),
    "tag:*": ALL - {"fifa"},
    "title:tariff*": {"late"},
    "title:(geneva OR steel)": {"steel", "undated"},
    "NOT entity:US": {"steel", "rare-earth", "zh-controls", "fifa"},
    "source:XINHUA.NET": {"rare-earth"},
    "tag:sanc*": {"listing", "listing-copy", "threat"},
    # Bounds beyond the dates that can be written are held at the first or last of them: everything dated, or nothing.
    "published:[0001-01-01 TO 9999-12-31]": ALL - {"undated"},
    'published:>="0001-01-01T00:00:00+05:00"': ALL - {"undated"},
    "published:>=now-9999999d": ALL - {"undated"},
    "published:<now+9999999d": ALL - {"undated"},
    "published:>=now+9999999d": set(),
    "published:9999-12-31": set(),
    "published:<0001-01-01": set(),
}


@pytest.fixture
def loaded(backend: IndexBackend) -> IndexBackend:
    report = backend.index(DOCUMENTS)
    assert sorted(report.indexed) == sorted(ALL) and not report.failed
    backend.refresh()
    return backend


def ids(backend: IndexBackend, query: str, parse=parse_query, **options) -> set[str]:  # type: ignore[no-untyped-def]
    result = backend.search(SearchRequest(query=parse(query), size=100, **options))
    assert result.total == len(result.hits)
    return {hit.article.id for hit in result.hits}


@pytest.mark.parametrize("query", list(EXPECTED))
def test_result_sets(loaded: IndexBackend, query: str) -> None:
    assert ids(loaded, query) == EXPECTED[query]


def test_a_lifted_measure_is_found_as_lifted_and_never_as_taken(loaded: IndexBackend) -> None:
    lifting = doc("lifting", "US lifts sanctions on Russian shipper", "The Treasury lifted sanctions on a Russian shipper.",
                  tags={"sanctions": "lifted"}, entities=("US", "RU"), events=(("sanctions", "US", "RU", "lifted"),))
    loaded.index([lifting])
    loaded.refresh()
    assert ids(loaded, "lifted:sanctions") == {"lifting"}
    assert ids(loaded, "asserted:sanctions") == EXPECTED["asserted:sanctions"]
    assert "lifting" in ids(loaded, "tag:sanctions")
    assert ids(loaded, "event.target:RU") == set()  # no measure was taken on Russia


@pytest.mark.parametrize("query", list(EXPECTED))
def test_alert_matcher_agrees_with_search(loaded: IndexBackend, query: str) -> None:
    parsed = parse_query(query)
    assert {d.id for d in DOCUMENTS if matches(parsed, d)} == ids(loaded, query)


def test_facet_counts(loaded: IndexBackend) -> None:
    facets = loaded.search(SearchRequest(query=parse_query(""), size=0, facet_size=20)).facets
    assert {b.value: b.count for b in facets["tags"]} == {
        "sanctions": 3, "export_controls": 3, "tariffs": 2, "negotiations": 2, "trade_remedies": 1, "export_licenses": 1,
    }
    assert {b.value: b.count for b in facets["sources"]} == {
        "reuters.com": 3, "apnews.com": 1, "politico.eu": 1, "xinhua.net": 1, "mofcom.gov.cn": 1, "bbc.co.uk": 1,
        "nikkei.com": 1,
    }
    entities = {b.value: (b.label, b.count) for b in facets["entities"]}
    assert entities["CN"] == ("China", 6) and entities["US"] == ("United States", 5)
    assert entities["general-motors"] == ("General Motors", 1)
    assert [(b.value, b.count) for b in facets["days"]] == [
        ("2025-06-05", 1), ("2025-06-07", 1), ("2025-06-08", 1), ("2025-06-09", 1), ("2025-06-10", 4),
    ]
    ordered = [b.value for b in facets["tags"]]
    assert ordered[:2] == ["export_controls", "sanctions"] and ordered[2:4] == ["negotiations", "tariffs"]


def test_facets_follow_the_query(loaded: IndexBackend) -> None:
    facets = loaded.search(SearchRequest(query=parse_query("tag:sanctions"))).facets
    assert {b.value: b.count for b in facets["tags"]} == {"sanctions": 3, "export_controls": 2}
    assert {b.value: b.count for b in facets["sources"]} == {"reuters.com": 2, "apnews.com": 1}


def test_date_order_and_cursor_pages_walk_everything_once(loaded: IndexBackend) -> None:
    expected = ["late", "listing-copy", "listing", "zh-controls", "steel", "rare-earth", "threat", "fifa", "undated"]
    seen: list[str] = []
    cursor = None
    while True:
        page = loaded.search(SearchRequest(query=parse_query(""), sort="date", size=4, cursor=cursor, facets=False))
        assert page.total == len(DOCUMENTS)
        seen += [hit.article.id for hit in page.hits]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == expected


def test_relevance_pages_cover_the_result_set(loaded: IndexBackend) -> None:
    first = loaded.search(SearchRequest(query=parse_query("sanctions OR tariffs"), size=3))
    second = loaded.search(SearchRequest(query=parse_query("sanctions OR tariffs"), size=3, cursor=first.next_cursor))
    assert first.total == 6 and second.next_cursor is None
    assert {h.article.id for h in first.hits + second.hits} == {"listing", "listing-copy", "threat", "fifa", "undated", "late"}


@pytest.mark.parametrize("cursor", [
    "abc", "!!!!", encode_cursor({}), encode_cursor({"offset": "3"}), encode_cursor({"offset": -3}),
    encode_cursor({"offset": True}), encode_cursor({"offset": 10**30}), encode_cursor({"after": ["x"], "seen": 1}),
    encode_cursor({"after": [1.0, "x", "y"], "seen": 3}), encode_cursor({"offset": 3, "after": [1.5, 0, "x"], "seen": 3}),
    encode_cursor([1, 2]), encode_cursor({"after": [0.5, 1749560000000, "listing"], "seen": -1}),
], ids=["not-base64", "no-alphabet", "empty", "text-offset", "negative", "boolean", "huge", "short-after",
        "words-in-after", "both-shapes", "a-list", "negative-seen"])
def test_a_made_up_cursor_is_refused_not_read_as_the_first_page(loaded: IndexBackend, cursor: str) -> None:
    with pytest.raises(ValueError, match="invalid cursor: pass back the next_cursor of a previous page"):
        loaded.search(SearchRequest(query=parse_query(""), size=3, cursor=cursor))


def test_highlighted_snippets_are_escaped(loaded: IndexBackend) -> None:
    hit = loaded.search(SearchRequest(query=parse_query('"rare earths"'))).hits[0]
    assert "<mark>rare earths</mark>" in hit.snippet
    assert "China&#x27;s" in hit.snippet


def test_get_returns_the_whole_document(loaded: IndexBackend) -> None:
    article = loaded.get("rare-earth")
    assert article == next(d for d in DOCUMENTS if d.id == "rare-earth")
    assert loaded.get("missing") is None
    assert loaded.count() == len(DOCUMENTS)


def test_update_replaces_and_delete_removes(loaded: IndexBackend) -> None:
    changed = next(d for d in DOCUMENTS if d.id == "rare-earth").model_copy(
        update={"title": "China revokes rare earth licences", "tags": [], "content_hash": "changed"}
    )
    loaded.index([changed])
    loaded.delete(["fifa"])
    loaded.refresh()
    assert loaded.count() == len(DOCUMENTS) - 1
    assert ids(loaded, "revokes") == {"rare-earth"}
    assert ids(loaded, "tag:export_licenses") == set()
    assert ids(loaded, "sanctions") == {"listing", "listing-copy", "threat"}
    assert loaded.get("rare-earth").title == "China revokes rare earth licences"  # type: ignore[union-attr]
    facets = loaded.search(SearchRequest(query=parse_query(""), size=0, facet_size=20)).facets
    assert "export_licenses" not in {b.value for b in facets["tags"]}
    assert "bbc.co.uk" not in {b.value for b in facets["sources"]}
    assert "2025-06-05" not in {b.value for b in facets["days"]}  # fifa's only day
    assert {b.value: b.count for b in facets["sources"]}["xinhua.net"] == 1


def test_reindex_keeps_everything_searchable(loaded: IndexBackend) -> None:
    report = loaded.reindex()
    assert report.copied == len(DOCUMENTS)
    assert ids(loaded, "tag:sanctions") == EXPECTED["tag:sanctions"]
    assert loaded.count() == len(DOCUMENTS)


@pytest.fixture
def elastic(elasticsearch_url: str) -> Iterator[ElasticsearchBackend]:
    with fresh_backend(elasticsearch_url) as backend:
        yield backend


def test_elasticsearch_reindex_swaps_alias_while_searches_run(elastic: ElasticsearchBackend) -> None:
    backend = elastic
    many = [DOCUMENTS[i % len(DOCUMENTS)].model_copy(update={"id": f"doc-{i}"}) for i in range(600)]
    backend.index(many)
    backend.refresh()
    totals: list[int] = []
    failures: list[BaseException] = []
    done = threading.Event()

    def search_until_done() -> None:
        while not done.is_set():
            try:
                totals.append(backend.search(SearchRequest(query=parse_query("tag:sanctions OR tag:tariffs"), size=1)).total)
            except BaseException as error:  # noqa: BLE001 - any failure during the swap is the finding
                failures.append(error)

    searcher = threading.Thread(target=search_until_done)
    searcher.start()
    try:
        report = backend.reindex()
    finally:
        done.set()
        searcher.join()
    assert not failures
    expected = sum(1 for d in many if {t.name for t in d.tags} & {"sanctions", "tariffs"})
    assert len(totals) > 5 and set(totals) == {expected}
    assert report.copied == 600 and report.new.endswith("-000002")
    assert backend.status()["indices"] == [report.new]


def test_elasticsearch_writes_a_batch_as_concurrent_bulk_streams_and_reports_each_refusal(elasticsearch_url: str) -> None:
    with fresh_backend(elasticsearch_url, bulk_max_documents=7, bulk_concurrency=3) as backend:
        many = [DOCUMENTS[i % len(DOCUMENTS)].model_copy(update={"id": f"doc-{i}"}) for i in range(100)]
        # A keyword term over 32,766 bytes: Elasticsearch refuses that document alone.
        many[57] = many[57].model_copy(update={"feed": "f" * 40_000})
        report = backend.index(many)
        backend.refresh()
        assert sorted(report.indexed) == sorted(d.id for d in many if d.id != "doc-57")
        assert list(report.failed) == ["doc-57"] and "[feed]" in report.failed["doc-57"]
        assert backend.count() == 99
        assert backend.get("doc-58") == many[58]
