"""Index backends behind one interface: Elasticsearch when a URL is configured, else embedded SQLite."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tradewire.core.files import DataFiles
from tradewire.core.lazy import lazy_exports

if TYPE_CHECKING:
    from tradewire.search.backends.base import IndexBackend
    from tradewire.search.backends.options import ElasticsearchOptions

__getattr__, __dir__ = lazy_exports({
    "BackendError": "tradewire.search.backends.base", "ElasticsearchOptions": "tradewire.search.backends.options",
    "IndexBackend": "tradewire.search.backends.base", "IndexReport": "tradewire.search.backends.base",
    "ReindexReport": "tradewire.search.backends.base", "SqliteBackend": "tradewire.search.backends.sqlite",
})


def open_backend(
    options: ElasticsearchOptions, data_dir: Path, *, ready: bool = True, short_lived: bool = False
) -> IndexBackend:
    """The configured backend: Elasticsearch when `options.url` is set, else `data_dir/index.db`.

    With `ready`, the index is created (or its mapping updated) if needed, BackendError when unreachable.
    Writers that must keep working while the index is down pass ready=False and call `ensure_ready` before
    writing; so do readers, which need no right to change an index (a missing one searches as empty).
    `short_lived`: the caller searches once and exits (a CLI command), so the embedded index loads nothing for
    later searches.
    """
    backend: IndexBackend
    if options.url:
        from tradewire.search.backends.elastic import ElasticsearchBackend  # the client is only imported when used

        backend = ElasticsearchBackend(options)
    else:
        from tradewire.search.backends.sqlite import SqliteBackend

        backend = SqliteBackend(DataFiles(data_dir).index, term_counts=not short_lived)
    if ready:
        backend.ensure_ready()
    return backend
