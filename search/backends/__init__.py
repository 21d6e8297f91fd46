"""Index backends behind one interface: Elasticsearch when a URL is configured, else embedded SQLite."""

from __future__ import annotations

from pathlib import Path

from core.files import DataFiles
from search.backends.base import BackendError, IndexBackend, IndexReport, ReindexReport
from search.backends.options import ElasticsearchOptions
from search.backends.sqlite import SqliteBackend

__all__ = [
    "BackendError", "ElasticsearchOptions", "IndexBackend", "IndexReport", "ReindexReport", "SqliteBackend", "open_backend",
]


def open_backend(options: ElasticsearchOptions, data_dir: Path, *, ready: bool = True) -> IndexBackend:
    """The configured backend: Elasticsearch when `options.url` is set, else `data_dir/index.db`.

    With `ready`, the index is created (or its mapping updated) if needed, BackendError when unreachable.
    Writers that must keep working while the index is down pass ready=False and call `ensure_ready` before
    writing; so do readers, which need no right to change an index (a missing one searches as empty).
    """
    backend: IndexBackend
    if options.url:
        from search.backends.elastic import ElasticsearchBackend  # the client is only imported when used

        backend = ElasticsearchBackend(options)
    else:
        backend = SqliteBackend(DataFiles(data_dir).index)
    if ready:
        backend.ensure_ready()
    return backend
