"""The Elasticsearch alias rolled over (`max_docs: 1`, real node): every contract test on documents spread over
three indices, and each article written again (updated, deleted, while rollovers run) found once, by id."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator

import pytest

from tests.search.test_backend_contract import (  # noqa: F401 - collected here, on the rolled-over index
    ALL,
    DOCUMENTS,
    test_a_lifted_measure_is_found_as_lifted_and_never_as_taken,
    test_alert_matcher_agrees_with_search,
    test_date_order_and_cursor_pages_walk_everything_once,
    test_facet_counts,
    test_facets_follow_the_query,
    test_highlighted_snippets_are_escaped,
    test_reindex_keeps_everything_searchable,
    test_relevance_pages_cover_the_result_set,
    test_result_sets,
    test_update_replaces_and_delete_removes,
)
from tests.support.elastic import copies_by_id as copies_of
from tests.support.elastic import fresh_backend
from tradewire.core.article import Article
from tradewire.search.backends import BackendError
from tradewire.search.backends.elastic import ElasticsearchBackend
from tradewire.search.backends.elastic_rollover import backing, holders

ROLL_EVERY_DOCUMENT = {"rollover": {"max_docs": 1, "max_age": None, "max_primary_shard_size": None}}
WRITES = {"test_a_lifted_measure_is_found_as_lifted_and_never_as_taken", "test_reindex_keeps_everything_searchable",
          "test_update_replaces_and_delete_removes"}


def spread_over_three_indices(backend: ElasticsearchBackend) -> list[list[Article]]:
    """DOCUMENTS written a third at a time, a rollover after each of the first two thirds."""
    thirds = [DOCUMENTS[start::3] for start in range(3)]
    for number, third in enumerate(thirds):
        assert not backend.index(third).failed
        if number < 2:
            backend.refresh()  # max_docs counts the documents searches see
            assert backend.rollover().rolled_over
    backend.refresh()
    return thirds


@pytest.fixture(scope="module")
def rolled_once(elasticsearch_url: str) -> Iterator[ElasticsearchBackend]:
    with fresh_backend(elasticsearch_url, **ROLL_EVERY_DOCUMENT) as backend:
        spread_over_three_indices(backend)
        yield backend


@pytest.fixture
def rolled(elasticsearch_url: str) -> Iterator[ElasticsearchBackend]:
    with fresh_backend(elasticsearch_url, **ROLL_EVERY_DOCUMENT) as backend:
        yield backend


@pytest.fixture
def loaded(request: pytest.FixtureRequest) -> ElasticsearchBackend:
    """The contract's documents over three indices: shared by the tests that only read, fresh for those that write."""
    if request.node.originalname in WRITES:
        backend: ElasticsearchBackend = request.getfixturevalue("rolled")
        spread_over_three_indices(backend)
        return backend
    return request.getfixturevalue("rolled_once")


def copies_by_id(backend: ElasticsearchBackend) -> dict[str, list[str]]:
    return copies_of(backend.options.url or "", backend.alias)


def test_the_contract_documents_sit_in_three_indices_one_copy_each(loaded: ElasticsearchBackend) -> None:
    status = loaded.status()
    assert status["indices"] == [f"{loaded.alias}-{number:06d}" for number in (1, 2, 3)]
    assert status["write_index"] == f"{loaded.alias}-000003" and status["documents"] == len(DOCUMENTS)
    copies = copies_by_id(loaded)
    assert set(copies) == ALL and all(len(indices) == 1 for indices in copies.values())
    assert len({indices[0] for indices in copies.values()}) == 3


def test_rewritten_articles_stay_in_the_index_that_holds_them(rolled: ElasticsearchBackend) -> None:
    thirds = spread_over_three_indices(rolled)
    placed = {article_id: indices[0] for article_id, indices in copies_by_id(rolled).items()}
    changed = [article.model_copy(update={"title": f"Updated: {article.title}"}) for article in DOCUMENTS]
    new = [DOCUMENTS[0].model_copy(update={"id": f"new-{number}"}) for number in range(3)]
    assert not rolled.index(changed + new).failed
    # Read at once, before any refresh: `show` finds the update in whichever index holds it.
    for article in changed:
        assert rolled.get(article.id) == article
    rolled.delete([thirds[0][0].id, thirds[1][0].id])
    copies = copies_by_id(rolled)
    assert Counter(len(indices) for indices in copies.values()) == {1: len(DOCUMENTS) - 2 + 3}
    deleted = {thirds[0][0].id, thirds[1][0].id}
    assert {article_id: indices[0] for article_id, indices in copies.items() if article_id in placed} == {
        article_id: index for article_id, index in placed.items() if article_id not in deleted
    }
    assert {copies[article.id][0] for article in new} == {rolled.current_index()}
    assert rolled.get(thirds[0][0].id) is None and rolled.count() == len(DOCUMENTS) + 1


def test_a_batch_larger_than_one_search_window_is_looked_up_whole(loaded: ElasticsearchBackend) -> None:
    older = backing(loaded.client, loaded.alias).older
    placed = {article_id: indices[0] for article_id, indices in copies_by_id(loaded).items() if indices[0] in older}
    ids = [f"never-written-{number}" for number in range(10_000)] + sorted(placed)
    assert holders(loaded.client, older, ids) == placed


def test_writes_during_rollovers_never_make_a_second_copy(rolled: ElasticsearchBackend) -> None:
    articles = [DOCUMENTS[number % len(DOCUMENTS)].model_copy(update={"id": f"doc-{number}"}) for number in range(120)]
    rolled.index(articles)
    failures: list[BaseException] = []
    done = threading.Event()

    def write_again_and_again() -> None:
        rounds = 0
        while not done.is_set() or rounds < 3:
            try:
                report = rolled.index([a.model_copy(update={"title": f"round {rounds}"}) for a in articles])
                assert not report.failed
            except BaseException as error:  # noqa: BLE001 - any failure while rolling over is the finding
                failures.append(error)
                return
            rounds += 1

    writer = threading.Thread(target=write_again_and_again)
    writer.start()
    try:
        for _ in range(4):
            assert rolled.rollover(if_needed=False).rolled_over
    finally:
        done.set()
        writer.join()
    assert not failures
    copies = copies_by_id(rolled)
    assert set(copies) == {a.id for a in articles} and all(len(indices) == 1 for indices in copies.values())
    assert len(rolled.status()["indices"]) == 5 and rolled.count() == len(articles)


def test_reindex_gathers_the_rolled_indices_into_one_and_rollovers_go_on_from_it(rolled: ElasticsearchBackend) -> None:
    spread_over_three_indices(rolled)
    report = rolled.reindex()
    assert report.copied == len(DOCUMENTS) and report.new == f"{rolled.alias}-000004"
    assert report.old_indices == tuple(f"{rolled.alias}-{number:06d}" for number in (1, 2, 3))
    assert rolled.status()["indices"] == [report.new]
    assert set(copies_by_id(rolled)) == ALL
    again = rolled.rollover()
    assert again.rolled_over and (again.old, again.new) == (report.new, f"{rolled.alias}-000005")
    assert again.describe() == f"rolled over {rolled.alias}: {report.new} -> {again.new} (max_docs: 1 met)"


def test_a_rollover_whose_conditions_are_unmet_changes_nothing(elasticsearch_url: str) -> None:
    with fresh_backend(elasticsearch_url, rollover={"max_docs": 100}) as backend:
        backend.index(DOCUMENTS[:2])
        backend.refresh()
        report = backend.rollover()
        assert not report.rolled_over and not report.due
        said = report.describe()
        assert said.startswith("not rolled over: no condition met (")
        assert said.endswith(f"); {backend.alias} writes to {backend.alias}-000001")
        assert all(condition in said for condition in ("max_docs: 100", "max_age: 30d", "max_primary_shard_size: 50gb"))
        assert backend.status()["indices"] == [f"{backend.alias}-000001"]


def test_rolling_over_if_needed_without_any_condition_says_so(elasticsearch_url: str) -> None:
    with fresh_backend(elasticsearch_url, rollover={"max_age": None, "max_primary_shard_size": None}) as backend:
        with pytest.raises(BackendError, match="no rollover condition is set"):
            backend.rollover()
        assert backend.rollover(if_needed=False).rolled_over
