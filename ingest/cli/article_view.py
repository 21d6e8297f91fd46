"""An article as the CLI prints it: tags with modality and evidence, entities, events, listed parties, the modality
legend; and a designation: the event and the list entry it is about."""

from __future__ import annotations

from rich.markup import escape

from tradewire.core.article import Article, ListedParty, WatchedMention
from tradewire.core.designation import Designation
from tradewire.core.enrichment import MODALITY_LEGEND, MODALITY_WORDS
from tradewire.ingest.cli.common import console


def print_article(article: Article) -> None:
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
    _mentions("listed parties", [
        (party, f"{party.list} entry {party.entry_id}" + (f" · programmes {', '.join(party.programs)}" if party.programs else "")
         + (" · in the title" if party.in_title else ""))
        for party in article.listed
    ])
    _mentions("watched parties", [
        (mention, mention.party + (f" — {mention.note}" if mention.note else "")) for mention in article.watched
    ])
    if article.tags or article.events:
        console.print("\n[dim]" + "; ".join(f"{word}: {meaning}" for word, meaning in MODALITY_LEGEND.items()) + "[/dim]")


def _mentions(heading: str, found: list[tuple[ListedParty | WatchedMention, str]]) -> None:
    """Parties the text names: where, what they are (`about`), the name that matched and its score."""
    if found:
        console.print(f"\n[bold]{heading}[/bold]")
    for mention, about in found:
        console.print(f"  {escape(mention.text)} [{mention.start}-{mention.end}]: {escape(about)} "
                      f"({escape(mention.name)}, score {mention.score:g})")


def print_designation(designation: Designation) -> None:
    console.print(f"[bold]{escape(designation.headline())}[/bold]")
    listed_on = f" · listed {designation.listed_on}" if designation.listed_on else ""
    console.print(f"designation · {designation.event} · recorded {designation.published} (the list refresh that applied it)"
                  f"{listed_on}")
    console.print(f"list {escape(designation.list)} · entry {escape(designation.entry_id)} · {designation.entry_kind}")
    for label, values in (("aliases", designation.names[1:]), ("programmes", designation.programs),
                          ("countries", designation.countries), ("identifiers", designation.identifiers)):
        if values:
            console.print(f"{label}: {escape('; '.join(values))}")
    if designation.remarks:
        console.print(f"remarks: {escape(designation.remarks)}")
