"""`tradewire search` and `show`: reading the index."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click
from rich.markup import escape

from tradewire.core.designation import Designation
from tradewire.core.enrichment import MODALITY_WORDS
from tradewire.ingest.cli.article_view import print_article, print_designation
from tradewire.ingest.cli.common import console, errors, settings
from tradewire.ingest.settings import Settings
from tradewire.search.backends import open_backend
from tradewire.search.redact import redacted

if TYPE_CHECKING:  # imported by `search` when it runs: `show` parses no query
    from tradewire.search.results import SearchResult


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
    """Search the indexed articles with the query language: words, phrases, fields, dates.

    For example '"rare earth" AND tag:export_licenses'.

    Words, "phrases", AND/OR/NOT/-, (groups), field:value (tag, asserted, entity, source, feed, lang,
    story, event.actor, event.target, event.measure, title, text), prefix*, and date ranges
    published:[2025-06-01 TO 2025-06-30] or published:>=now-7d.

    The designations of sanctions-list refreshes are searched with kind:designation (or kind:* for
    everything): list:ofac-sdn, program:RUSSIA-EO14024, event:listed|delisted|amended, name:"...".
    """
    from tradewire.search.query import with_filters
    from tradewire.search.results import SearchRequest, SearchResult

    current = settings(ctx)
    ctx.find_root().meta["query_text"] = query
    parsed = with_filters(query, tags=tags, entities=entities, sources=sources, since=since, until=until)
    request = SearchRequest(query=parsed, sort=sort, size=limit, cursor=cursor)  # type: ignore[arg-type]
    empty = _missing_index(current)
    if empty:  # searched as empty, and not created: a reader must not leave an empty index behind
        result = SearchResult(total=0, hits=[], facets={}, next_cursor=None)
    else:
        # Reading needs no index rights; a command searches once.
        backend = open_backend(current.elasticsearch, current.data_dir, ready=False, short_lived=True)
        try:
            result = backend.search(request)
            if result.total == 0 and backend.count() == 0:
                empty = f"the index ({_where(current)}) is empty"
        except ValueError as error:
            raise click.ClickException(str(error)) from None
        finally:
            backend.close()
    if as_json:
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        _print_result(result)
    if empty:
        errors.print(f"{empty}: fill it with `tradewire run-once` (feeds in feeds.yaml), or try `tradewire demo`",
                     markup=False)


def _missing_index(current: Settings) -> str | None:
    """Why there is nothing to search without opening anything: no embedded index file yet."""
    if current.elasticsearch.url is None and not current.files.index.exists():
        return f"no index in {current.data_dir} yet"
    return None


def _where(current: Settings) -> str:
    return redacted(current.elasticsearch.url) if current.elasticsearch.url else str(current.files.index)


def _print_result(result: SearchResult) -> None:
    kinds = {bucket.value for bucket in result.facets.get("kinds", [])} | {hit.article.kind for hit in result.hits}
    noun = "article" if kinds <= {"article"} else "result"
    console.print(f"[bold]{result.total}[/bold] {noun}{'s' if result.total != 1 else ''}")
    for hit in result.hits:
        article = hit.article
        if isinstance(article, Designation):
            console.print(f"\n[bold]{escape(article.headline())}[/bold]  designation · {article.published.date().isoformat()}")
            console.print(f"  [dim]{article.id}  {escape(article.list)} entry {escape(article.entry_id)}[/dim]")
            continue
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
    """One article with its tags, evidence, entities and events.

    The id of a designation (`search kind:designation`) shows the designation: its event and list entry.
    """
    current = settings(ctx)
    missing = _missing_index(current)
    if missing:
        raise click.ClickException(f"no article with id {article_id}: {missing} (fill it with `tradewire run-once`)")
    backend = open_backend(current.elasticsearch, current.data_dir, ready=False)  # reading needs no index rights
    try:
        article = backend.get(article_id)
    finally:
        backend.close()
    if article is None:
        raise click.ClickException(f"no article with id {article_id}")
    if as_json:
        sys.stdout.write(article.model_dump_json(indent=2) + "\n")
        return
    if isinstance(article, Designation):
        print_designation(article)
    else:
        print_article(article)


COMMANDS = [search, show]
