"""Index backends behind one interface: Elasticsearch when a URL is configured, else embedded SQLite."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from core.files import DataFiles
from core.lazy import lazy_exports

if TYPE_CHECKING:
    from search.backends.base import IndexBackend
    from search.backends.options import ElasticsearchOptions

__getattr__, __dir__ = lazy_exports({
    "BackendError": "search.backends.base", "ElasticsearchOptions": "search.backends.options",
    "IndexBackend": "search.backends.base", "IndexReport": "search.backends.base",
    "ReindexReport": "search.backends.base", "SqliteBackend": "search.backends.sqlite",
})


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
        from search.backends.sqlite import SqliteBackend

        backend = SqliteBackend(DataFiles(data_dir).index)
    if ready:
        backend.ensure_ready()
    return backend
