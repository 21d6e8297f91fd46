"""The durable alert outbox (SQLite, WAL): an alert is stored before any delivery is attempted.

alerts: one row per (rule, story, throttle window), or per digest; later copies of the story are added to it;
or one per (designation rule, list, entry, event), whatever the refresh that brought it.
deliveries: one row per (alert, channel): pending -> delivered, retried with backoff, dead after N failures;
digest rules' rows wait as queued until their period ends and are sent together in one digest alert.
A delivery is leased while it is being sent, so two processes never send it at once and a crash only delays it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tradewire.core.article import Article
from tradewire.core.clock import iso, now_utc
from tradewire.core.database import Database
from tradewire.search.alerts.matcher import RuleMatch
from tradewire.search.alerts.message import (
    alert_content,
    alert_id,
    designation_alert_id,
    designation_content,
    digest_content,
    idempotency_key,
)
from tradewire.search.alerts.rules import Rule

if TYPE_CHECKING:
    from tradewire.enrich.screening.entries import ListEntry

_SCHEMA = """
CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    rule TEXT NOT NULL,
    story_id TEXT,
    article_id TEXT,
    created_at TEXT NOT NULL,
    window_end TEXT,
    content TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_story ON alerts (rule, story_id, window_end);
CREATE INDEX IF NOT EXISTS alerts_created ON alerts (created_at);
CREATE TABLE IF NOT EXISTS deliveries (
    alert_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    lease_until TEXT,
    last_error TEXT,
    delivered_at TEXT,
    digest_due_at TEXT,
    digest_id TEXT,
    PRIMARY KEY (alert_id, channel)
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (status, next_attempt_at);
"""
STATUSES = ("pending", "queued", "digested", "delivered", "dead")


@dataclass(frozen=True, slots=True)
class Delivery:
    alert_id: str
    channel: str
    key: str
    attempts: int
    content: dict[str, Any]


class OutboxError(RuntimeError):
    pass


class Outbox:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._store = Database(path, schema=_SCHEMA, error=OutboxError, what="the alert outbox", durable=True)

    def close(self) -> None:
        self._store.close()

    def record(self, match: RuleMatch, article: Article, *, now: datetime | None = None) -> str | None:
        """Store an alert for a match, or add the article to the alert its story already has in this window.

        Returns the new alert's id, or None when the story already had one (the article is listed as a copy).
        """
        now = now or now_utc()
        rule = match.rule
        with self._store.transaction() as db:
            row = db.execute(
                "SELECT id, content FROM alerts WHERE kind = 'alert' AND rule = ? AND story_id = ? AND window_end > ? "
                "ORDER BY created_at DESC LIMIT 1",
                (rule.name, article.story_id, iso(now)),
            ).fetchone()
            if row is not None:
                content = json.loads(row[1])
                known = {content["article_id"], *(copy["article_id"] for copy in content["copies"])}
                if article.id not in known:
                    content["copies"].append(
                        {"article_id": article.id, "url": article.url, "source": article.source, "title": article.title}
                    )
                    db.execute("UPDATE alerts SET content = ? WHERE id = ?", (json.dumps(content), row[0]))
                return None
            identity = alert_id(rule.name, article.story_id, now)
            content = alert_content(match, article, alert=identity, created=now)
            db.execute(
                "INSERT OR IGNORE INTO alerts (id, kind, rule, story_id, article_id, created_at, window_end, content) "
                "VALUES (?, 'alert', ?, ?, ?, ?, ?, ?)",
                (identity, rule.name, article.story_id, article.id, iso(now), iso(now + rule.throttle), json.dumps(content)),
            )
            due = _period_end(now, rule.digest_period) if rule.mode == "digest" else None
            db.executemany(
                "INSERT OR IGNORE INTO deliveries (alert_id, channel, status, next_attempt_at, digest_due_at) VALUES (?, ?, ?, ?, ?)",
                [
                    (identity, channel, "queued" if due else "pending", None if due else iso(now), iso(due) if due else None)
                    for channel in rule.channels
                ],
            )
            return identity

    def record_designation(
        self, rule: Rule, event: str, entry: ListEntry, why: str, *, sequence: int, watched: dict[str, Any] | None = None,
        now: datetime | None = None,
    ) -> str | None:
        """Store an alert for a designation event a rule matched (`sequence`: the entry's events before it;
        `watched`: the watched party it is); None when that event already has one."""
        now = now or now_utc()
        identity = designation_alert_id(rule.name, entry.list_name, entry.entry_id, event, sequence)
        content = designation_content(rule.name, event, entry, why=why, watched=watched, alert=identity, created=now)
        with self._store.transaction() as db:
            inserted = db.execute(
                "INSERT OR IGNORE INTO alerts (id, kind, rule, created_at, content) VALUES (?, 'designation', ?, ?, ?)",
                (identity, rule.name, iso(now), json.dumps(content, ensure_ascii=False)),
            ).rowcount
            if not inserted:
                return None
            due = _period_end(now, rule.digest_period) if rule.mode == "digest" else None
            db.executemany(
                "INSERT OR IGNORE INTO deliveries (alert_id, channel, status, next_attempt_at, digest_due_at) VALUES (?, ?, ?, ?, ?)",
                [(identity, channel, "queued" if due else "pending", None if due else iso(now), iso(due) if due else None)
                 for channel in rule.channels],
            )
        return identity

    def build_digests(self, now: datetime | None = None) -> list[str]:
        """Turn queued digest deliveries whose period has ended into one digest alert per (rule, channel, period)."""
        now = now or now_utc()
        created = []
        with self._store.transaction() as db:
            groups = db.execute(
                "SELECT a.rule, d.channel, d.digest_due_at FROM deliveries d JOIN alerts a ON a.id = d.alert_id "
                "WHERE d.status = 'queued' AND d.digest_due_at <= ? GROUP BY a.rule, d.channel, d.digest_due_at",
                (iso(now),),
            ).fetchall()
            for rule, channel, due in groups:
                members = db.execute(
                    "SELECT a.id, a.content FROM deliveries d JOIN alerts a ON a.id = d.alert_id "
                    "WHERE d.status = 'queued' AND a.rule = ? AND d.channel = ? AND d.digest_due_at = ? ORDER BY a.created_at",
                    (rule, channel, due),
                ).fetchall()
                digest = alert_id(f"digest:{rule}:{channel}", "", datetime.fromisoformat(due))
                content = digest_content(rule, [json.loads(c) for _, c in members], digest=digest, period_end=datetime.fromisoformat(due))
                db.execute(
                    "INSERT OR IGNORE INTO alerts (id, kind, rule, created_at, content) VALUES (?, 'digest', ?, ?, ?)",
                    (digest, rule, iso(now), json.dumps(content)),
                )
                db.execute(
                    "INSERT OR IGNORE INTO deliveries (alert_id, channel, status, next_attempt_at) VALUES (?, ?, 'pending', ?)",
                    (digest, channel, iso(now)),
                )
                db.executemany(
                    "UPDATE deliveries SET status = 'digested', digest_id = ? WHERE alert_id = ? AND channel = ?",
                    [(digest, member, channel) for member, _ in members],
                )
                created.append(digest)
        return created

    def claim_due(self, *, lease: timedelta, limit: int = 100, now: datetime | None = None) -> list[Delivery]:
        """Pending deliveries whose time has come, leased to the caller for `lease`."""
        now = now or now_utc()
        with self._store.transaction() as db:
            rows = db.execute(
                "SELECT d.alert_id, d.channel, d.attempts, a.content FROM deliveries d JOIN alerts a ON a.id = d.alert_id "
                "WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND (d.lease_until IS NULL OR d.lease_until < ?) "
                "ORDER BY d.next_attempt_at LIMIT ?",
                (iso(now), iso(now), limit),
            ).fetchall()
            db.executemany(
                "UPDATE deliveries SET lease_until = ? WHERE alert_id = ? AND channel = ?",
                [(iso(now + lease), alert, channel) for alert, channel, _, _ in rows],
            )
        return [
            Delivery(alert, channel, idempotency_key(alert, channel), attempts, json.loads(content))
            for alert, channel, attempts, content in rows
        ]

    def delivered(self, delivery: Delivery) -> None:
        with self._store.transaction() as db:
            db.execute(
                "UPDATE deliveries SET status = 'delivered', attempts = attempts + 1, delivered_at = ?, lease_until = NULL, "
                "last_error = NULL WHERE alert_id = ? AND channel = ?",
                (iso(now_utc()), delivery.alert_id, delivery.channel),
            )

    def failed(self, delivery: Delivery, error: str, *, retry_at: datetime | None) -> None:
        """Record a failed attempt: retried at `retry_at`, or dead-lettered when it is None."""
        with self._store.transaction() as db:
            db.execute(
                "UPDATE deliveries SET status = ?, attempts = attempts + 1, next_attempt_at = ?, lease_until = NULL, "
                "last_error = ? WHERE alert_id = ? AND channel = ?",
                ("pending" if retry_at else "dead", iso(retry_at) if retry_at else None, error,
                 delivery.alert_id, delivery.channel),
            )

    def replay(self, alert: str) -> int:
        """Send an alert again to every channel (delivered or dead): a new attempt now, same idempotency key."""
        with self._store.transaction() as db:
            cursor = db.execute(
                "UPDATE deliveries SET status = 'pending', next_attempt_at = ?, lease_until = NULL "
                "WHERE alert_id = ? AND status IN ('delivered', 'dead', 'pending')",
                (iso(now_utc()), alert),
            )
        return cursor.rowcount

    def next_due(self) -> datetime | None:
        row = self._store.row(
            # A leased delivery (taken by a dispatcher that may have died) is due when its lease ends, not before.
            "SELECT min(coalesce(max(next_attempt_at, coalesce(lease_until, '')), digest_due_at)) "
            "FROM deliveries WHERE status IN ('pending', 'queued')"
        )
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def recent(self, limit: int = 50, *, kind: str | None = None) -> list[dict[str, Any]]:
        """Recent alerts with each channel's delivery status, newest first."""
        where = "WHERE kind = ?" if kind else ""
        rows = self._store.rows(
            f"SELECT id, kind, rule, created_at, content FROM alerts {where} ORDER BY created_at DESC LIMIT ?",
            (kind, limit) if kind else (limit,),
        )
        return [self._with_deliveries(row) for row in rows]

    def get(self, alert: str) -> dict[str, Any] | None:
        row = self._store.row("SELECT id, kind, rule, created_at, content FROM alerts WHERE id = ?", (alert,))
        return self._with_deliveries(row) if row else None

    def dead(self) -> list[dict[str, Any]]:
        rows = self._store.rows(
            "SELECT a.id, a.kind, a.rule, a.created_at, a.content FROM alerts a WHERE EXISTS "
            "(SELECT 1 FROM deliveries d WHERE d.alert_id = a.id AND d.status = 'dead') ORDER BY a.created_at DESC"
        )
        return [self._with_deliveries(row) for row in rows]

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        counts.update(self._store.rows("SELECT status, count(*) FROM deliveries GROUP BY status"))
        return counts

    def _with_deliveries(self, row: tuple[Any, ...]) -> dict[str, Any]:
        identity, kind, rule, created, content = row
        deliveries = [
            {"channel": channel, "status": status, "attempts": attempts, "last_error": error, "delivered_at": delivered,
             "next_attempt_at": next_attempt}
            for channel, status, attempts, error, delivered, next_attempt in self._store.rows(
                "SELECT channel, status, attempts, last_error, delivered_at, next_attempt_at FROM deliveries "
                "WHERE alert_id = ? ORDER BY channel",
                (identity,),
            )
        ]
        return {"id": identity, "kind": kind, "rule": rule, "created_at": created, "content": json.loads(content),
                "deliveries": deliveries}


def _period_end(now: datetime, period: timedelta) -> datetime:
    """The end of the period `now` falls in, periods aligned on the Unix epoch (UTC midnight for daily)."""
    seconds = period.total_seconds()
    epoch = now.timestamp()
    return datetime.fromtimestamp((epoch // seconds + 1) * seconds, timezone.utc)
