"""4. Elasticsearch indexing: tradewire's index writer against raw `elasticsearch.helpers.bulk` of the same documents.

Workload: 5,000 articles made by `bench.workloads.Corpus` (about 3.1 KB of text, 1.4 tags with evidence,
14 entities each). tradewire: the service's own path, the index writer draining its spool (SQLite) in
batches of 1,000: each article turned into its Elasticsearch document (with the analysed search fields and
keyword keys), bulk-written through the alias (two streams of 250-document requests side by side),
confirmed and removed from the spool, then a refresh. The writer's first batch, which prepares the index,
is one article written before the clock starts, as the baseline's index is created before its clock starts.
Baseline: `helpers.bulk` (chunks of 500) of the very documents tradewire writes, prepared beforehand, into
an index with the same template, then a refresh. Each round writes into new indices, alternating which
goes first; three rounds. On a cluster (`--nodes 3`) both sides write to the same cluster, into indices of
one primary per node with tradewire's default of a replica each.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import time
from pathlib import Path

from elasticsearch.helpers import bulk

from bench.elastic import Target, drop_alias
from bench.harness import Measure, Row
from bench.workloads import Corpus
from tradewire.core.article import Article
from tradewire.core.files import DataFiles
from tradewire.ingest.articles.signature import signature
from tradewire.ingest.indexer import IndexWriter
from tradewire.ingest.settings import IngestOptions
from tradewire.ingest.state import AcceptedArticle, State
from tradewire.search.backends.elastic import ElasticsearchBackend
from tradewire.search.backends.elastic_mapping import document_json
from tradewire.search.backends.options import ElasticsearchOptions

DOCUMENTS = 5_000


def run(quick: bool = False, es_url: str | None = None) -> list[Row]:
    if not es_url:
        raise RuntimeError("the Elasticsearch indexing benchmark needs a node")
    count = 2_000 if quick else DOCUMENTS
    target = Target(es_url)
    shards = target.shards()
    articles = list(Corpus().articles(count))
    signatures = [signature(article.title, article.text) for article in articles]  # what the pipeline spools with each
    serialised = [document_json(article) for article in articles]
    documents = [json.loads(document) for document in serialised]
    tradewire: list[float] = []
    raw: list[float] = []
    raw_serialised: list[float] = []
    runs = [
        (tradewire, lambda alias: _writer(es_url, alias, shards, articles, signatures)),
        (raw, lambda alias: _bulk(target, alias, shards, documents)),
        (raw_serialised, lambda alias: _bulk(target, alias, shards, serialised)),
    ]
    for round_number in range(1 if quick else 3):
        for number, (rates, write) in enumerate(runs[round_number % 3:] + runs[: round_number % 3]):
            alias = f"bench-es-{os.getpid()}-{round_number}-{number}"
            try:
                rates.append(count / write(alias))
            finally:
                drop_alias(es_url, alias)
    ratio = Measure(tradewire, "").median / Measure(raw, "").median
    strict = Measure(tradewire, "").median / Measure(raw_serialised, "").median
    return [Row(f"Elasticsearch indexing{target.label()} (documents/s, {count:,})", Measure(tradewire, "/s"), Measure(raw, "/s"),
                ratio, "≥ 0.8×", ratio >= 0.8,
                notes=[f"helpers.bulk of the same documents already serialised to JSON runs at "
                       f"{Measure(raw_serialised, '/s').show()}: tradewire is {strict:.2f}× that"])]


def _backend(url: str, alias: str, shards: int) -> ElasticsearchBackend:
    backend = ElasticsearchBackend(ElasticsearchOptions(url=url, index=alias, request_timeout=120, shards=shards))
    backend.ensure_ready()
    return backend


def _writer(url: str, alias: str, shards: int, articles: list[Article], signatures: list[bytes]) -> float:
    backend = _backend(url, alias, shards)
    with tempfile.TemporaryDirectory(prefix="tw-es-") as tmp:
        state = State(DataFiles(Path(tmp)).state)
        writer = IndexWriter(state, backend, batch_size=IngestOptions().index_batch_size)

        def accept(article: Article, article_signature: bytes) -> None:
            document = article.model_dump_json()
            state.accept(AcceptedArticle(
                feed="bench", key=article.url, link=article.url, article_id=article.id,
                canonical_url=article.canonical_url, content_hash=article.content_hash,
                story_id=article.story_id, signature=article_signature, document=document,
            ))
            writer.accepted(article, document)

        accept(articles[0].model_copy(update={"id": "bench-first-batch"}), signatures[0])
        asyncio.run(writer.flush(refresh=False))
        for article, article_signature in zip(articles, signatures):
            accept(article, article_signature)
        started = time.perf_counter()
        result = asyncio.run(writer.flush())
        elapsed = time.perf_counter() - started
        state.close()
    backend.close()
    if result.indexed != len(articles) or result.pending:
        raise RuntimeError(f"the index writer wrote {result.indexed} of {len(articles)}: {result.error}")
    return elapsed


def _bulk(target: Target, alias: str, shards: int, documents: list[dict] | list[str]) -> float:  # type: ignore[type-arg]
    _backend(target.url, alias, shards).close()
    client = target.client()
    started = time.perf_counter()
    written, errors = bulk(client, ({"_index": alias, "_source": d} for d in documents), chunk_size=500)
    client.indices.refresh(index=alias)
    elapsed = time.perf_counter() - started
    client.close()
    if written != len(documents) or errors:
        raise RuntimeError(f"helpers.bulk wrote {written} of {len(documents)}: {errors}")
    return elapsed
