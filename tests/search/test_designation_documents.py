"""Designation documents beside articles, on both backends and in the alert matcher: the same query language finds
them by kind, list, programme, event, name and date; a search that names no kind finds articles only (on
Elasticsearch, those written before documents had a kind too); tags never match a designation; facets count the
kinds; a reindex keeps them.

The designations are written by hand below, and every expected result is read from them and from the contract's
articles (tests.search.test_backend_contract)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tests.search.test_backend_contract import DOCUMENTS, EXPECTED, ids
from tests.support.elastic import fresh_backend
from tradewire.core.designation import Designation, designation_id
from tradewire.search.backends import IndexBackend
from tradewire.search.backends.elastic_mapping import document_json
from tradewire.search.query import matches, with_filters
from tradewire.search.results import SearchRequest

ARTICLES = {article.id for article in DOCUMENTS}


def designation(
    event: str,
    list_name: str,
    entry_id: str,
    names: list[str],
    programs: list[str],
    day: int,
) -> Designation:
    at = datetime(2025, 6, day, 6, 0, tzinfo=UTC)
    return Designation(
        id=designation_id(list_name, entry_id, 0),
        event=event,
        list=list_name,
        entry_id=entry_id,  # type: ignore[arg-type]
        entry_kind="organization",
        names=names,
        programs=programs,
        countries=["RU"],
        published=at,
        fetched=at,
    )


# A name made of words articles use ("sanctions", "trading"), so that scoping, not luck, keeps it out of news searches.
EVASION = designation(
    "listed", "ofac-sdn", "5001", ["Sanctions Evasion Trading LLC", "SET LLC"], ["RUSSIA-EO14024"], 12
)
SECHIN = designation(
    "delisted", "ofac-sdn", "6002", ["Igor Ivanovich SECHIN", "Игорь Иванович Сечин"], ["UKRAINE-EO13662"], 13
)
ROSNEFT = designation("amended", "uk-hmt", "RUS0001", ["Rosneft Trading SA"], ["Russia"], 9)
DESIGNATIONS = [EVASION, SECHIN, ROSNEFT]
ALL_DESIGNATIONS = {d.id for d in DESIGNATIONS}

# Query -> the documents it finds, read from the documents.
FOUND: dict[str, set[str]] = {
    "sanctions": EXPECTED["sanctions"],  # articles only, though a designation's name says Sanctions
    "trading": {"undated"},  # trade talks: the same stem, and no designation's name
    "": ARTICLES,
    "kind:designation": ALL_DESIGNATIONS,
    "kind:*": ARTICLES | ALL_DESIGNATIONS,
    "kind:article": ARTICLES,
    "kind:designation list:ofac-sdn event:listed": {EVASION.id},
    "kind:designation list:ofac-sdn event:delisted": {SECHIN.id},
    "event:amended": {ROSNEFT.id},
    "list:OFAC-SDN": {EVASION.id, SECHIN.id},
    "program:russia-eo14024": {EVASION.id},
    "programme:UKRAINE-EO13662": {SECHIN.id},
    "entry:rus0001": {ROSNEFT.id},
    'name:"igor sechin"': set(),  # a phrase: the list writes Igor Ivanovich SECHIN
    'name:"igor ivanovich sechin"': {SECHIN.id},
    "name:сечин": {SECHIN.id},
    "name:trading": {EVASION.id, ROSNEFT.id},
    "name:*": ALL_DESIGNATIONS,
    "kind:designation sechin": {SECHIN.id},
    "kind:designation sanctions": {EVASION.id},
    "sanctions kind:*": EXPECTED["sanctions"] | {EVASION.id},
    "tag:sanctions kind:*": EXPECTED["tag:sanctions"],
    "asserted:sanctions kind:*": EXPECTED["asserted:sanctions"],
    "tag:* kind:*": EXPECTED["tag:*"],
    "kind:designation published:>=2025-06-12": {EVASION.id, SECHIN.id},
    "kind:designation published:[2025-06-01 TO 2025-06-10]": {ROSNEFT.id},
    "kind:designation -list:ofac-sdn": {ROSNEFT.id},
}


@pytest.fixture
def loaded(backend: IndexBackend) -> IndexBackend:
    report = backend.index([*DOCUMENTS, *DESIGNATIONS])
    assert sorted(report.indexed) == sorted(ARTICLES | ALL_DESIGNATIONS) and not report.failed
    backend.refresh()
    return backend


def found(backend: IndexBackend, query: str, **options) -> set[str]:  # type: ignore[no-untyped-def]
    """What a user's search finds: the query with the kinds it names (search.query.filters)."""
    return ids(backend, query, parse=with_filters, **options)


@pytest.mark.parametrize("query", list(FOUND))
def test_designations_are_found_by_the_query_language(loaded: IndexBackend, query: str) -> None:
    assert found(loaded, query) == FOUND[query]
    for sort in ("relevance", "date"):
        assert found(loaded, query, sort=sort) == FOUND[query]


@pytest.mark.parametrize("query", list(FOUND))
def test_the_alert_matcher_agrees(query: str) -> None:
    parsed = with_filters(query)
    assert {document.id for document in [*DOCUMENTS, *DESIGNATIONS] if matches(parsed, document)} == FOUND[query]


def test_facets_count_the_kinds_of_what_matched(loaded: IndexBackend) -> None:
    def kinds(query: str) -> dict[str, int]:
        facets = loaded.search(SearchRequest(query=with_filters(query), size=0)).facets
        return {bucket.value: bucket.count for bucket in facets["kinds"]}

    assert kinds("") == {"article": len(ARTICLES)}
    assert kinds("kind:*") == {"article": len(ARTICLES), "designation": len(DESIGNATIONS)}
    assert kinds("list:ofac-sdn") == {"designation": 2}
    everything = loaded.search(SearchRequest(query=with_filters("kind:designation"), size=0)).facets
    assert everything["tags"] == [] and everything["sources"] == []
    assert {b.value: b.count for b in everything["days"]} == {"2025-06-09": 1, "2025-06-12": 1, "2025-06-13": 1}


def test_a_hit_says_what_the_designation_is(loaded: IndexBackend) -> None:
    (hit,) = loaded.search(SearchRequest(query=with_filters("kind:designation event:listed"))).hits
    assert hit.article == EVASION
    shown = hit.to_json()
    assert (
        shown["kind"] == "designation"
        and shown["headline"] == "listed on ofac-sdn: Sanctions Evasion Trading LLC (RUSSIA-EO14024)"
    )
    assert shown["names"] == EVASION.names and shown["published"].startswith("2025-06-12")
    article = loaded.search(SearchRequest(query=with_filters("tag:sanctions"), size=1)).hits[0].to_json()
    assert article["kind"] == "article"


def test_get_returns_a_designation_whole_and_writing_it_again_changes_nothing(loaded: IndexBackend) -> None:
    assert loaded.get(SECHIN.id) == SECHIN
    loaded.index([SECHIN, EVASION])
    loaded.refresh()
    assert loaded.count() == len(ARTICLES) + len(DESIGNATIONS)
    assert found(loaded, "kind:designation") == ALL_DESIGNATIONS


def test_a_reindex_keeps_the_designations(loaded: IndexBackend) -> None:
    report = loaded.reindex()
    assert report.copied == len(ARTICLES) + len(DESIGNATIONS)
    assert found(loaded, "kind:designation list:ofac-sdn") == {EVASION.id, SECHIN.id}
    assert found(loaded, "sanctions") == EXPECTED["sanctions"]
    assert loaded.get(ROSNEFT.id) == ROSNEFT


@pytest.mark.parametrize(
    "query", ["sanctions", "sanctions OR tariffs", "trading OR china", "sanctions AND NOT tag:sanctions"]
)
def test_relevance_pages_of_a_search_for_articles_walk_its_articles_once_past_the_designations(
    backend: IndexBackend,
    query: str,
) -> None:
    """Designations whose names hold the query's words are among the best scores: the pages must still give every
    article match once, and no designation."""
    named = [
        d.model_copy(update={"id": f"{d.id}-{n}", "names": [f"Sanctions China Trading Tariffs {n}"]})
        for n in range(30)
        for d in DESIGNATIONS
    ]
    articles = [a.model_copy(update={"id": f"{a.id}-{n}"}) for n in range(4) for a in DOCUMENTS]
    backend.index([*named, *articles])
    backend.refresh()
    expected = {f"{a.id}-{n}" for n in range(4) for a in DOCUMENTS if matches(with_filters(query), a)}
    assert expected
    walked: list[str] = []
    cursor = None
    while True:
        page = backend.search(SearchRequest(query=with_filters(query), size=7, facets=False, cursor=cursor))
        assert page.total == len(expected)
        walked += [hit.article.id for hit in page.hits]
        if not (cursor := page.next_cursor):
            break
    assert len(walked) == len(set(walked)) and set(walked) == expected


def test_an_elasticsearch_article_written_before_documents_had_kinds_is_found_by_default(elasticsearch_url: str) -> None:
    with fresh_backend(elasticsearch_url) as backend:
        backend.index([DOCUMENTS[0], EVASION])
        # As an earlier version wrote it: no `kind` in the document, nor among its keyword keys.
        source = json.loads(document_json(DOCUMENTS[0]))
        del source["kind"], source["keys"]["kind"]
        backend.client.index(index=backend.alias, id=DOCUMENTS[0].id, document=source, refresh=True)
        backend.refresh()
        assert found(backend, "sanctions") == {DOCUMENTS[0].id}
        assert found(backend, "kind:designation") == {EVASION.id}
