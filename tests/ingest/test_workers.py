"""The extraction workers start with what their parent loaded for them."""

from __future__ import annotations

import asyncio

import py3langid.langid

from tradewire.ingest.articles.workers import WorkerPool
from tradewire.ingest.configuration import load_enrichment


def _language_model_address() -> int:
    return id(py3langid.langid.IDENTIFIER)


def test_workers_inherit_the_language_model_their_parent_loaded() -> None:
    """A worker forked with the model loaded holds it at the parent's address; one that loaded its own would not."""
    pool = WorkerPool(*load_enrichment(None), workers=2)

    async def addresses() -> set[int]:
        await pool.warm_up()  # the warm-up classifies a German page: a worker without the model would load it here
        return {await asyncio.wrap_future(pool._pool.schedule(_language_model_address)) for _ in range(4)}

    try:
        assert py3langid.langid.IDENTIFIER is not None
        assert asyncio.run(addresses()) == {_language_model_address()}
    finally:
        pool.close()
