"""The Elasticsearch backend: an index template, versioned indices behind an alias, bulk writes, searches.

What is stored is search.backends.elastic_mapping's. The natural `title` and `text` fields are analysed too,
with `english` when the node offers it (a full distribution) and `standard` with English stop words otherwise,
for other tools on the index. The alias rolls over, and an article written again goes to the index holding
it (search.backends.elastic_rollover). About 370 lines: what is left is the one class the IndexBackend
protocol asks for, each method a request or two; the mapping lives in elastic_mapping, the indices behind
the alias in elastic_rollover.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from elasticsearch import ApiError, BadRequestError, ConnectionError, Elasticsearch, NotFoundError, TransportError
from elasticsearch.helpers import BulkIndexError, scan, streaming_bulk

from tradewire.core.document import Document, document_from_dict
from tradewire.search.backends.base import BackendError, IndexReport, ReindexProgress, ReindexReport
from tradewire.search.backends.elastic_mapping import document_json, mapping
from tradewire.search.backends.elastic_rollover import RolloverReport, backing, holders, roll_over
from tradewire.search.backends.options import ElasticsearchOptions
from tradewire.search.query.elastic import to_elasticsearch
from tradewire.search.redact import redacted
from tradewire.search.results import (
    KEYWORD_FACETS,
    FacetBucket,
    SearchRequest,
    SearchResult,
    decode_cursor,
    encode_cursor,
    entity_bucket,
    hit,
)

_FACETS = {name: f"keys.{field}" for name, field in KEYWORD_FACETS.items()}


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, options: ElasticsearchOptions, client: Elasticsearch | None = None) -> None:
        if not options.url:
            raise ValueError("ElasticsearchBackend needs elasticsearch.url")
        self.options = options
        self.alias = options.index
        self.client = client or Elasticsearch(
            options.urls,
            api_key=options.api_key.get_secret_value() if options.api_key else None,
            basic_auth=(options.username, options.password.get_secret_value())
            if options.username and options.password else None,
            ca_certs=str(options.ca_certs) if options.ca_certs else None,
            verify_certs=options.verify_certs,
            request_timeout=options.request_timeout,
            retry_on_timeout=True,
            # A node that drops (restarted, killed) answers 502/503 behind a proxy or refuses connections: the
            # request is retried on another node of the list.
            retry_on_status=(502, 503, 504),
            max_retries=max(2, len(options.urls)),
        )
        self._text_analyzer: str | None = None
        # A rollover waits for the batch being written (and the other way round): the batch's lookup of which
        # index holds each article stays true until its documents are written.
        self._writing = threading.Lock()

    # set-up

    def ensure_ready(self) -> None:
        with self._errors("preparing the index"):
            self.client.indices.put_index_template(
                name=f"{self.alias}-template",
                index_patterns=[f"{self.alias}-*"],
                template={"settings": self._settings(), "mappings": mapping(self._analyzer_name())},
                meta={"managed_by": "tradewire"},
            )
            if self.client.indices.exists_alias(name=self.alias):
                # New fields are added to the live index; a change that is not additive needs `tradewire index reindex`.
                current = mapping(self._analyzer_name())
                self.client.indices.put_mapping(
                    index=self.alias, properties=current["properties"], meta=current["_meta"], dynamic="strict",
                )
            else:
                first = self._versioned(1)
                if not self.client.indices.exists(index=first):
                    try:
                        self.client.indices.create(index=first, aliases={self.alias: {"is_write_index": True}})
                    except BadRequestError as error:
                        if error.error != "resource_already_exists_exception":
                            raise
                self.client.cluster.health(index=first, wait_for_status="yellow", timeout="30s")

    def _settings(self) -> dict[str, Any]:
        settings: dict[str, Any] = {
            "number_of_shards": self.options.shards,
            "number_of_replicas": self._replicas(),
            "refresh_interval": self.options.refresh_interval,
        }
        if self._analyzer_name() == "tradewire_text":
            settings["analysis"] = {"analyzer": {"tradewire_text": {"type": "standard", "stopwords": "_english_"}}}
        return settings

    def _replicas(self) -> int:
        if self.options.replicas is not None:
            return self.options.replicas
        return 1 if self.client.cluster.health()["number_of_data_nodes"] > 1 else 0

    def health(self) -> str:
        """The health of the indices behind the alias: green, yellow (a replica unassigned: degraded) or red (a
        primary missing); green while there is no index yet."""
        with self._errors("reading the cluster health"):
            if not self.client.indices.exists_alias(name=self.alias):
                return "green"
            return str(self.client.cluster.health(index=self.alias)["status"])

    def _analyzer_name(self) -> str:
        """`english` on a node that has it (a full distribution), else a standard analyzer with English stop words."""
        if self._text_analyzer is None:
            try:
                self.client.indices.analyze(analyzer="english", text="probe")
                self._text_analyzer = "english"
            except BadRequestError:
                self._text_analyzer = "tradewire_text"
        return self._text_analyzer

    def _versioned(self, number: int) -> str:
        return f"{self.alias}-{number:06d}"

    def current_index(self) -> str:
        """The write index: new articles go there."""
        with self._errors("reading the alias"):
            write = backing(self.client, self.alias).write
        if write is None:
            raise BackendError(f"alias {self.alias} has no write index: run `tradewire index create`")
        return write

    # writes

    def index(self, articles: Sequence[Document], documents: Sequence[str] | None = None) -> IndexReport:
        report = IndexReport()
        pairs = list(zip(articles, documents or [None] * len(articles)))
        # The batch is written as `bulk_concurrency` streams of bulk requests side by side: while one request
        # is being indexed by the node (the GIL released), the other stream's documents are being made, and
        # a node with more than one core indexes both requests at once.
        streams = max(1, min(self.options.bulk_concurrency, len(articles) // self.options.bulk_max_documents))
        with self._writing, self._errors("writing documents"), \
                ThreadPoolExecutor(max_workers=streams, thread_name_prefix="elasticsearch-bulk") as writing:
            placed = self._holders([article.id for article in articles])
            chunks = [(pairs[start::streams], placed) for start in range(streams)]
            for results in writing.map(lambda chunk: self._write_stream(*chunk), chunks):
                for ok, item in results:
                    result = item.get("index", {})
                    if ok:
                        report.indexed.append(result["_id"])
                    else:
                        report.failed[result.get("_id", "?")] = _reason(result)
        return report

    def _holders(self, ids: Sequence[str]) -> dict[str, str]:
        """The older index of each of `ids` found in one; the others are in the write index or new."""
        return holders(self.client, backing(self.client, self.alias).older, ids)

    def _write_stream(
        self, pairs: Sequence[tuple[Document, str | None]], placed: dict[str, str],
    ) -> list[tuple[bool, dict[str, Any]]]:
        actions = (
            {"_op_type": "index", "_index": placed.get(article.id, self.alias), "_id": article.id,
             "_source": document_json(article, serialised)}
            for article, serialised in pairs
        )
        return list(streaming_bulk(
            self.client, actions,
            chunk_size=self.options.bulk_max_documents, max_chunk_bytes=self.options.bulk_max_bytes,
            max_retries=5, initial_backoff=1, max_backoff=30, raise_on_error=False, raise_on_exception=True,
        ))

    def delete(self, ids: Sequence[str]) -> None:
        with self._writing, self._errors("deleting documents"):
            placed = self._holders(ids)
            actions = ({"_op_type": "delete", "_index": placed.get(article_id, self.alias), "_id": article_id}
                       for article_id in ids)
            for ok, item in streaming_bulk(self.client, actions, raise_on_error=False):
                result = item.get("delete", {})
                if not ok and result.get("status") != 404:
                    raise BackendError(f"deleting {result.get('_id')} failed: {_reason(result)}")

    def refresh(self) -> None:
        with self._errors("refreshing"):
            self.client.indices.refresh(index=self.alias)

    # reads

    def get(self, article_id: str) -> Document | None:
        """The document by id from whichever index behind the alias holds it (a real-time get, refresh or not)."""
        with self._errors("reading a document"):
            indices = backing(self.client, self.alias).all
            if not indices:
                return None
            found = self.client.mget(docs=[{"_index": index, "_id": article_id} for index in indices])["docs"]
        stored = next((doc for doc in found if doc.get("found")), None)
        return document_from_dict(stored["_source"]) if stored else None

    def count(self) -> int:
        """How many documents the index holds; none when it does not exist yet (readers never create it)."""
        with self._errors("counting documents"):
            try:
                return int(self.client.count(index=self.alias)["count"])
            except NotFoundError:
                return 0

    def search(self, request: SearchRequest) -> SearchResult:
        """The page of hits and the facets, as two searches of one `_msearch`.

        The node runs them side by side. The page then needs no exact count, so it can skip the articles
        that cannot reach the top (block-max WAND); the facet search counts every match, and, having no
        hits, is a request the shard request cache keeps until the next refresh (paging, a re-run).
        """
        if request.sort == "relevance":
            sort: list[Any] = ["_score", {"published": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]
        else:
            sort = [{"published": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]
        query = to_elasticsearch(request.query)
        page: dict[str, Any] = {"query": query, "size": request.size, "sort": sort, "track_total_hits": not request.facets}
        seen = 0
        if request.cursor:
            position = decode_cursor(request.cursor, {"after": list, "seen": int})
            after, seen = position["after"], position["seen"]
            # The sort values of the last hit: numbers (score, date), then its id.
            if len(after) != len(sort) or not isinstance(after[-1], str) or not all(
                isinstance(value, (int, float)) and not isinstance(value, bool) for value in after[:-1]
            ):
                raise ValueError("invalid cursor: pass back the next_cursor of a previous page")
            page["search_after"] = after
        # A missing index (nothing written yet) is an empty result: readers never create or change the index.
        searches: list[dict[str, Any]] = [{"index": self.alias, "ignore_unavailable": True}, page]
        if request.facets:
            aggregations: dict[str, Any] = {
                name: {"terms": {"field": field, "size": request.facet_size}} for name, field in _FACETS.items()
            }
            aggregations["days"] = {
                "date_histogram": {"field": "published", "calendar_interval": "day", "min_doc_count": 1, "format": "yyyy-MM-dd"}
            }
            searches += [{"index": self.alias, "ignore_unavailable": True, "request_cache": True},
                         {"query": query, "size": 0, "track_total_hits": True, "aggs": aggregations}]
        with self._errors("searching") as errors:
            responses = self.client.msearch(searches=searches)["responses"]
            for response in responses:
                if "error" in response:  # each search of an _msearch fails on its own
                    raise errors.failure(_reason(response))
        raw = responses[0]["hits"]["hits"]
        total = int(responses[-1]["hits"]["total"]["value"])
        hits = [hit(document_from_dict(found["_source"]), found.get("_score"), request) for found in raw]
        seen += len(raw)
        next_cursor = encode_cursor({"after": raw[-1]["sort"], "seen": seen}) if raw and seen < total else None
        facets: dict[str, list[FacetBucket]] = {}
        if request.facets:
            found = responses[1].get("aggregations", {})
            for name in _FACETS:
                buckets = found.get(name, {}).get("buckets", [])
                facets[name] = [
                    entity_bucket(b["key"], b["doc_count"]) if name == "entities" else FacetBucket(b["key"], b["doc_count"])
                    for b in buckets
                ]
            facets["days"] = [FacetBucket(b["key_as_string"], b["doc_count"]) for b in found.get("days", {}).get("buckets", [])]
        return SearchResult(total=total, hits=hits, facets=facets, next_cursor=next_cursor,
                            partial=any(_missed_shards(response) for response in responses))

    # operations

    def status(self) -> dict[str, Any]:
        with self._errors("reading the status"):
            info = self.client.info()
            indices = backing(self.client, self.alias)
            count = self.count() if indices.write else 0
        return {
            "backend": self.name,
            "url": redacted(self.options.url or ""),
            "version": info["version"]["number"],
            "alias": self.alias,
            "indices": indices.all,
            "write_index": indices.write,
            "rollover_conditions": self.options.rollover.conditions(),
            "documents": count,
            "text_analyzer": self._analyzer_name(),
            "cluster_health": self.health(),
        }

    def reindex(self, on_progress: Callable[[int], None] | None = None) -> ReindexReport:
        """Copy every document of every index behind the alias into one new versioned index (re-analysed,
        current mapping) and swap the alias to it atomically.

        Searches keep going to the old indices until the swap, which is one alias update.
        """
        self.ensure_ready()
        with self._errors("reading the alias"):
            old = backing(self.client, self.alias).all
        new = self._versioned(max(int(name.rsplit("-", 1)[1]) for name in old) + 1)
        with self._errors("reindexing"):
            if self.client.indices.exists(index=new):
                self.client.indices.delete(index=new)
            self.client.indices.create(index=new)
            progress = ReindexProgress(on_progress)
            for ok, item in streaming_bulk(
                self.client, self._copy_actions(new), chunk_size=self.options.bulk_max_documents,
                max_retries=5, raise_on_error=False,
            ):
                if not ok:
                    raise BackendError(f"copying {item.get('index', {}).get('_id')} failed: {_reason(item.get('index', {}))}")
                progress.step()
            self.client.indices.refresh(index=new)
            self.client.indices.update_aliases(actions=[
                *({"remove": {"index": index, "alias": self.alias}} for index in old),
                {"add": {"index": new, "alias": self.alias, "is_write_index": True}},
            ])
        return ReindexReport(", ".join(old), new, progress.done, tuple(old))

    def _copy_actions(self, new: str) -> Iterator[dict[str, Any]]:
        for stored in scan(self.client, index=self.alias, query={"query": {"match_all": {}}}, size=500, preserve_order=False):
            article = document_from_dict(stored["_source"])
            yield {"_op_type": "index", "_index": new, "_id": article.id, "_source": document_json(article)}

    def rollover(self, *, if_needed: bool = True, dry_run: bool = False) -> RolloverReport:
        """A new write index behind the alias: when a condition of elasticsearch.rollover is met (`if_needed`),
        or now. Writes wait for it; the index rolled away from is refreshed, so writes find what it holds."""
        conditions = self.options.rollover.conditions() if if_needed else None
        if if_needed and not conditions:
            raise BackendError("no rollover condition is set (elasticsearch.rollover: max_primary_shard_size, max_age, max_docs)")
        self.ensure_ready()
        with self._writing, self._errors("rolling the index over"):
            return roll_over(self.client, self.alias, conditions, dry_run=dry_run)

    def delete_index(self, name: str) -> None:
        with self._errors("deleting an index"):
            self.client.indices.delete(index=name)

    def close(self) -> None:
        self.client.close()

    def _errors(self, action: str) -> _Translate:
        return _Translate(action, redacted(self.options.url or ""))


class _Translate:
    """Connection and server errors become BackendError with what was being done and where."""

    def __init__(self, action: str, url: str) -> None:
        self.action = action
        self.url = url

    def __enter__(self) -> _Translate:
        return self

    def failure(self, reason: object) -> BackendError:
        return BackendError(f"Elasticsearch at {self.url} failed while {self.action}: {reason}")

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, traceback: object) -> bool:
        if error is None:
            return False
        if isinstance(error, ConnectionError):
            raise BackendError(f"Elasticsearch at {self.url} is unreachable while {self.action}: {error.message}") from error
        if isinstance(error, BulkIndexError):
            raise BackendError(f"Elasticsearch refused documents while {self.action}: {error}") from error
        if isinstance(error, (ApiError, TransportError)):
            raise self.failure(error) from error
        return False


def _missed_shards(response: dict[str, Any]) -> bool:
    """Elasticsearch answers a search from the shards it reached; those it did not are counted, not raised."""
    shards = response.get("_shards", {})
    return bool(response.get("timed_out")) or shards.get("successful", 0) < shards.get("total", 0)


def _reason(result: dict[str, Any]) -> str:
    error = result.get("error")
    if isinstance(error, dict):
        return f"{error.get('type')}: {error.get('reason')}"
    return str(error or f"status {result.get('status')}")

