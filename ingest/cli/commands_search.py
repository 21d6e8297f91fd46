"""`tradewire search`, `show` and `enrich`: reading the index, and checking the taxonomy on a text."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone

import click
from rich.markup import escape

from core.article import Article
from core.enrichment import MODALITY_LEGEND, MODALITY_WORDS
from enrich import Enricher
from ingest.cli.common import console, load
from search.backends import open_backend
from search.query import with_filters
from search.results import SearchRequest, SearchResult


@click.command("search")
@click.argument("query", default="")
@click.option("--tag", "tags", multiple=True, help="Only articles with this tag (repeatable).")
@click.option("--entity", "entities", multiple=True, help="Only articles naming this entity id or name (repeatable).")
@click.option("--source", "sources", multiple=True, help="Only articles from this site (repeatable).")
@click.option("--since", help="Published within this long (7d, 12h) or since a date (2025-06-01).")
@click.option("--until", help="Published up to this date (inclusive) or this long ago.")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True)
@click.option("--limit", type=click.IntRange(0, 100), default=10, show_default=True)
@click.option("--cursor", help="Next page: the next_cursor of the previous page.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: total, hits, facets, next_cursor.")
@click.pass_context
def search(
    ctx: click.Context, query: str, tags: tuple[str, ...], entities: tuple[str, ...], sources: tuple[str, ...],
    since: str | None, until: str | None, sort: str, limit: int, cursor: str | None, as_json: bool,
) -> None:
    """Search the indexed articles with the query language, e.g. '"rare earth" AND tag:export_licenses'.

    Words, "phrases", AND/OR/NOT/-, (groups), field:value (tag, asserted, entity, source, feed, lang,
    story, event.actor, event.target, event.measure, title, text), prefix*, and date ranges
    published:[2025-06-01 TO 2025-06-30] or published:>=now-7d.
    """
    config = load(ctx)
    ctx.find_root().meta["query_text"] = query
    parsed = with_filters(query, tags=tags, entities=entities, sources=sources, since=since, until=until)
    backend = open_backend(config.settings.elasticsearch, config.settings.data_dir, ready=False)  # reading needs no index rights
    try:
        result = backend.search(SearchRequest(query=parsed, sort=sort, size=limit, cursor=cursor))  # type: ignore[arg-type]
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    finally:
        backend.close()
    if as_json:
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        _print_result(result)


def _print_result(result: SearchResult) -> None:
    console.print(f"[bold]{result.total}[/bold] article{'s' if result.total != 1 else ''}")
    for hit in result.hits:
        article = hit.article
        published = article.published.date().isoformat() if article.published else "undated"
        tags = " ".join(f"[cyan]{tag.name}[/cyan] {MODALITY_WORDS[tag.modality]}" for tag in article.tags)
        console.print(f"\n[bold]{escape(article.title)}[/bold]  {escape(article.source)} · {published}  {tags}")
        console.print(f"  {_marked(hit.snippet)}")
        console.print(f"  [dim]{article.id}  {escape(article.url)}[/dim]")
    if result.facets:
        console.print()
        for name, buckets in result.facets.items():
            if buckets and name != "days":
                values = ", ".join(f"{escape(b.label or b.value)} ({b.count})" for b in buckets)
                console.print(f"[dim]{name}:[/dim] {values}")
    if result.next_cursor:
        console.print(f"\n[dim]more: --cursor {result.next_cursor}[/dim]")


def _marked(snippet: str) -> str:
    import html

    text = escape(html.unescape(snippet.replace("<mark>", "\x02").replace("</mark>", "\x03")))
    return text.replace("\x02", "[bold yellow]").replace("\x03", "[/bold yellow]")


@click.command("show")
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="Print the whole document as JSON.")
@click.pass_context
def show(ctx: click.Context, article_id: str, as_json: bool) -> None:
    """One article with its tags, evidence, entities and events."""
    config = load(ctx)
    backend = open_backend(config.settings.elasticsearch, config.settings.data_dir, ready=False)  # reading needs no index rights
    try:
        article = backend.get(article_id)
    finally:
        backend.close()
    if article is None:
        raise click.ClickException(f"no article with id {article_id}")
    if as_json:
        sys.stdout.write(article.model_dump_json(indent=2) + "\n")
        return
    _print_article(article)


def _print_article(article: Article) -> None:
    console.print(f"[bold]{escape(article.title)}[/bold]")
    console.print(f"{escape(article.url)}\n{escape(article.source)} · feed {escape(article.feed)} · "
                  f"published {article.published or 'unknown'} · language {article.language} · story {article.story_id}")
    if article.extraction == "feed":
        console.print(f"[yellow]text from the feed entry:[/yellow] {escape(article.extraction_note or '')}")
    if not article.tags:
        console.print(f"\ntags: none{' — ' + article.tagging_note if article.tagging_note else ''}")
    for tag in article.tags:
        console.print(f"\n[cyan]{tag.name}[/cyan] {MODALITY_WORDS[tag.modality]} (score {tag.score})")
        for evidence in tag.evidence:
            console.print(f"  [{evidence.start}-{evidence.end}] {MODALITY_WORDS[evidence.modality]}, "
                          f"{', '.join(evidence.rules)}: {escape(evidence.text)}")
    if article.entities:
        console.print("\n[bold]entities[/bold] " + ", ".join(
            f"{escape(e.name)} ({e.type}, {e.id}, {len(e.mentions)}×)" for e in article.entities))
    for event in article.events:
        console.print(f"[bold]event[/bold] {event.measure} by {event.actor or '?'} on {event.target or '?'} "
                      f"{event.date or ''} {MODALITY_WORDS[event.modality]} {', '.join(event.objects)}")
    if article.tags or article.events:
        console.print("\n[dim]" + "; ".join(f"{word}: {meaning}" for word, meaning in MODALITY_LEGEND.items()) + "[/dim]")


@click.command("enrich")
@click.argument("file", type=click.File("r", encoding="utf-8"), default="-")
@click.option("--published", type=click.DateTime(["%Y-%m-%d"]), help="Publication date, for relative dates.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def enrich_command(ctx: click.Context, file, published: datetime | None, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    """Run enrichment alone on a text (FILE or - for standard input): tags, evidence, entities, events."""
    config = load(ctx)
    text = file.read()
    enrichment = Enricher(config.taxonomy, config.gazetteer).enrich(
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
    _print_article(article)


COMMANDS = [search, show, enrich_command]
