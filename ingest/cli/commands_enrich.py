"""`tradewire enrich`: enrichment alone on a text, to check the taxonomy and the gazetteer."""

from __future__ import annotations

import sys
from datetime import datetime, timezone

import click

from tradewire.core.article import Article
from tradewire.enrich import Enricher
from tradewire.ingest.cli.article_view import print_article
from tradewire.ingest.configuration import load_enrichment


@click.command("enrich")
@click.argument("file", type=click.File("r", encoding="utf-8"), default="-")
@click.option("--published", type=click.DateTime(["%Y-%m-%d"]), help="Publication date, for relative dates.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def enrich_command(ctx: click.Context, file, published: datetime | None, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    """Run enrichment alone on a text (FILE or - for standard input): tags, evidence, entities, events."""
    taxonomy, gazetteer = load_enrichment(ctx.find_root().obj["config_dir"])
    text = file.read()
    enrichment = Enricher(taxonomy, gazetteer).enrich(
        text, published=published.date() if published else None
    )
    if as_json:
        sys.stdout.write(enrichment.model_dump_json(indent=2) + "\n")
        return
    article = Article(
        id="-", url="-", canonical_url="-", feed="-", source="-", title="(text)", fetched=datetime.now(timezone.utc),
        language=enrichment.language, text=text, tags=enrichment.tags, entities=enrichment.entities,
        events=enrichment.events, content_hash="-", story_id="-", tagging_note=enrichment.tagging_note,
        published=datetime.combine(published.date(), datetime.min.time(), timezone.utc) if published else None,
    )
    print_article(article)


COMMANDS = [enrich_command]
