"""Persistent ingestion state in one SQLite database under the data directory, one store per concern:

feeds (ingest.state.feeds): validators, outcomes, failures and the schedule position of each feed;
entries (ingest.state.entries): the entries seen per feed, and those to retry;
stories (ingest.state.stories): accepted articles and the signatures that group syndicated copies;
spool (ingest.state.spool): accepted articles waiting for the index, and the pause a reindex puts on writes;
lists (ingest.state.lists): each sanctions list's entries in force, its refresh outcomes and designation events.
Accepting an article writes to three of them in one transaction (`State.accept`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tradewire.core.database import Database
from tradewire.ingest.state import entries, feeds, lists, spool, stories
from tradewire.ingest.state.entries import EntryStore
from tradewire.ingest.state.feeds import FeedState, FeedStore
from tradewire.ingest.state.lists import ListStore
from tradewire.ingest.state.spool import Spool
from tradewire.ingest.state.stories import StoryStore

__all__ = ["AcceptedArticle", "FeedState", "State", "StateError"]


class StateError(RuntimeError):
    """The state database cannot be opened or written (read-only directory, full disk, corruption)."""


@dataclass(frozen=True, slots=True)
class AcceptedArticle:
    """What accepting an article records: its entry, its identity and story, its signature, its document."""

    feed: str
    key: str
    link: str | None
    article_id: str
    canonical_url: str
    content_hash: str
    story_id: str
    signature: bytes
    document: str
    version: str | None = None


class State:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = Database(
            path, schema=feeds.SCHEMA + entries.SCHEMA + stories.SCHEMA + spool.SCHEMA + lists.SCHEMA,
            error=StateError, what="the state database", upgrade=entries.upgrade,
        )
        self.feeds = FeedStore(self._db)
        self.entries = EntryStore(self._db)
        self.stories = StoryStore(self._db)
        self.spool = Spool(self._db)
        self.lists = ListStore(self._db)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> State:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def accept(self, article: AcceptedArticle) -> None:
        """Record an accepted article and queue it for the index, atomically with marking its entry done."""
        with self._db.transaction() as db:
            stories.remember_in(
                db, article_id=article.article_id, canonical_url=article.canonical_url,
                content_hash=article.content_hash, story_id=article.story_id, signature=article.signature,
            )
            spool.queue_in(db, article.article_id, article.document)
            entries.mark_done_in(db, article.feed, article.key, article.link, article.article_id, article.version)

