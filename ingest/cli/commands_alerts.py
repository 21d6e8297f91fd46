"""`tradewire alerts ...`: recent alerts and their deliveries, dry runs of a rule, replays, dead letters."""

from __future__ import annotations

import asyncio
import json
import sys

import click
from rich.table import Table

from tradewire.core.article import Article
from tradewire.ingest import __version__
from tradewire.ingest.cli.common import console, load
from tradewire.ingest.configuration import Config
from tradewire.search.alerts import AlertMatcher, Dispatcher, Outbox
from tradewire.search.alerts.message import alert_content, designation_line, plain_text
from tradewire.search.backends import open_backend
from tradewire.search.query import of_kinds_named
from tradewire.search.results import SearchRequest


@click.group("alerts")
def alerts() -> None:
    """Alerts: recent ones and their delivery status, rule dry runs, replays, dead letters."""


def _outbox(config: Config) -> Outbox:
    return Outbox(config.settings.files.alerts)


@alerts.command("list")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_alerts(ctx: click.Context, limit: int, as_json: bool) -> None:
    """Recent alerts, newest first, with each channel's delivery status."""
    outbox = _outbox(load(ctx))
    try:
        recent = outbox.recent(limit)
    finally:
        outbox.close()
    _print(recent, as_json)


@alerts.command("dead")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def dead(ctx: click.Context, as_json: bool) -> None:
    """Alerts with a delivery that failed every attempt (replay them with `alerts replay ID`)."""
    outbox = _outbox(load(ctx))
    try:
        letters = outbox.dead()
    finally:
        outbox.close()
    _print(letters, as_json)


@alerts.command("replay")
@click.argument("alert_id")
@click.pass_context
def replay(ctx: click.Context, alert_id: str) -> None:
    """Send an alert again to its channels now (the idempotency key stays the same)."""
    config = load(ctx)
    outbox = _outbox(config)
    try:
        if outbox.replay(alert_id) == 0:
            raise click.ClickException(f"no alert {alert_id} with deliveries to replay")
        report = asyncio.run(_deliver(config, outbox))
    finally:
        outbox.close()
    console.print(f"replayed {alert_id}: {report.delivered} delivered, {report.retrying} to retry, {report.dead} dead")


@alerts.command("deliver")
@click.pass_context
def deliver(ctx: click.Context) -> None:
    """Attempt every delivery that is due now (the service does this continuously)."""
    config = load(ctx)
    outbox = _outbox(config)
    try:
        report = asyncio.run(_deliver(config, outbox))
    finally:
        outbox.close()
    console.print(f"{report.delivered} delivered, {report.retrying} to retry, {report.dead} dead")


async def _deliver(config: Config, outbox: Outbox):  # type: ignore[no-untyped-def]
    dispatcher = Dispatcher(outbox, config.alerts, data_dir=config.settings.data_dir, options=config.settings.alerts,
                            user_agent=config.settings.fetch.agent(__version__))
    try:
        return await dispatcher.deliver_due()
    finally:
        await dispatcher.close()


@alerts.command("test")
@click.argument("rule_name")
@click.option("--limit", type=click.IntRange(1, 100), default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the alerts it would send as JSON.")
@click.pass_context
def test_rule(ctx: click.Context, rule_name: str, limit: int, as_json: bool) -> None:
    """Dry run: the indexed articles RULE matches, and the alert each would send (nothing is sent or stored)."""
    config = load(ctx)
    rule = config.alerts.rule(rule_name)
    if rule is None:
        known = ", ".join(r.name for r in config.alerts.rules) or "none"
        raise click.ClickException(f"no rule named {rule_name!r} (rules: {known})")
    if rule.designations:
        raise click.ClickException(f"rule {rule_name!r} matches designation events, not articles: it alerts when "
                                   "`tradewire lists refresh` (or run-once, serve) applies a new version of a list")
    backend = open_backend(config.settings.elasticsearch, config.settings.data_dir)
    try:
        # An article rule is about articles, as the live matcher only ever sees them.
        query = of_kinds_named(rule.parsed_query())
        result = backend.search(SearchRequest(query=query, sort="date", size=100, facets=False))
    finally:
        backend.close()
    matcher = AlertMatcher([rule.model_copy(update={"enabled": True})])
    previews = []
    for hit in result.hits:
        if not isinstance(hit.article, Article):
            continue
        for match in matcher.match(hit.article):
            previews.append(alert_content(match, hit.article, alert="(dry run)", created=hit.article.fetched))
    if as_json:
        sys.stdout.write(json.dumps(previews[:limit], indent=2, ensure_ascii=False) + "\n")
        return
    console.print(f"rule {rule.name}: the query finds {result.total} indexed articles; "
                  f"{len(previews)} of the newest {len(result.hits)} pass the rule's filters", markup=False)
    for preview in previews[:limit]:
        console.print("\n" + plain_text(preview), markup=False)


def _print(rows: list[dict], as_json: bool) -> None:  # type: ignore[type-arg]
    if as_json:
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return
    table = Table("alert", "created", "rule", "title", "deliveries", box=None)
    for row in rows:
        content = row["content"]
        title = (designation_line(content) if row["kind"] == "designation"
                 else content.get("title") or f"digest of {content.get('count')} alerts")
        copies = f" (+{len(content.get('copies', []))} copies)" if content.get("copies") else ""
        deliveries = ", ".join(
            f"{d['channel']}: {d['status']}" + (f" after {d['attempts']} ({d['last_error']})" if d["last_error"] else "")
            for d in row["deliveries"]
        )
        table.add_row(row["id"], row["created_at"][:19], row["rule"], title + copies, deliveries)
    console.print(table)


COMMANDS = [alerts]
