"""Seeded workloads: trade-news articles and their news-site pages, feeds, and a search corpus.

Texts are composed from the repository's own trade-news writing (the demo articles and the labelled
evaluation items), so the vocabulary, entities and tags are those of real trade news.
"""

from __future__ import annotations

import json
import random
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from pathlib import Path

import pycountry

from tradewire.core.article import Article, article_id, content_hash
from tradewire.core.enrichment import MODALITY_STRENGTH, Enrichment, Entity, Event, Evidence, Mention, Tag
from tradewire.ingest.demo.pages import PageArticle, render_page

REPO = Path(__file__).resolve().parents[1]
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
_SEVERAL = "several topics"


def paragraphs() -> list[str]:
    found = []
    for path in sorted((REPO / "ingest" / "demo" / "articles").glob("*.txt")):
        found += [p.strip() for p in path.read_text(encoding="utf-8").split("\n") if len(p.strip()) > 80]
    for line in (REPO / "tests" / "data" / "enrich_eval" / "items.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item["lang"] == "en" and not item.get("note", "").startswith("hard negative"):
            found.append(item["text"])
    return found


@dataclass(frozen=True)
class Story:
    slug: str
    title: str
    text: str
    published: datetime


def stories(count: int, *, seed: int = 7, paragraphs_per_story: tuple[int, int] = (6, 12)) -> list[Story]:
    rng = random.Random(seed)
    pool = paragraphs()
    start = datetime(2025, 6, 1, tzinfo=timezone.utc)
    made = []
    for number in range(count):
        chosen = rng.sample(pool, rng.randint(*paragraphs_per_story))
        title = chosen[0].split(". ")[0][:110]
        made.append(Story(f"story-{seed}-{number}", title, "\n".join(chosen), start + timedelta(minutes=37 * number)))
    return made


def page_for(story: Story, url: str, *, seed: int) -> bytes:
    """A full news page of 50 to 300 KB: navigation, ads, scripts, sidebars, comments around the article."""
    rng = random.Random(seed)
    size = rng.uniform(50, 300)
    padding = max(1, round(size / 11))
    comments = max(5, round(size / 2.5))
    html = render_page(
        PageArticle(title=story.title, text=story.text, author="Staff reporter", published=story.published.isoformat(),
                    section="Trade", canonical_url=url, site_name="Trade Wire Daily"),
        seed=seed, comments=comments, padding=padding,
    )
    return html.encode()


def paragraphs_in(language: str) -> list[str]:
    """Labelled development paragraphs in `language` (zh, de, es, ...), for pages in other languages."""
    found = []
    for path in sorted((REPO / "tests" / "data" / "enrich_eval").glob("dev*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            if item.get("lang") == language and len(item["text"]) > 60:
                found.append(item["text"])
    return found


def varied_page_for(story: Story, url: str, *, seed: int) -> bytes:
    """Pages as uneven as real sites': of every eight, three as page_for makes them, one laid out in bare spans
    and line breaks (no <article>, <main> or <p>), one a short
    brief, one a long feature, one in Chinese and one in German or Spanish."""
    rng = random.Random(seed)
    kind = seed % 8
    text = story.text
    if kind == 4:
        text = "\n".join(text.split("\n")[:2])
    elif kind == 5:
        parts = text.split("\n")
        text = "\n".join(parts + rng.sample(parts, len(parts)) + rng.sample(parts, len(parts)))
    elif kind in (6, 7):
        pool = paragraphs_in("zh") if kind == 6 else paragraphs_in("de") + paragraphs_in("es")
        text = "\n".join(rng.sample(pool, min(len(pool), rng.randint(4, 8))))
    page = page_for(Story(story.slug, story.title, text, story.published), url, seed=seed).decode()
    if kind == 3:
        page = (page.replace("<article", "<div").replace("</article>", "</div>").replace("<main", "<div")
                .replace("</main>", "</div>").replace("<p>", "<span>").replace("<p ", "<span ").replace("</p>", "</span><br><br>"))
    return page.encode()


@dataclass(frozen=True)
class FeedItem:
    title: str
    link: str
    published: datetime
    summary: str


def rss(title: str, items: list[FeedItem], *, build: datetime | None = None) -> bytes:
    return rss_head(title, build) + rss_items(items)


def rss_head(title: str, build: datetime | None = None) -> bytes:
    built = f"<lastBuildDate>{format_datetime(build)}</lastBuildDate>" if build else ""
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
            f"<link>http://example.invalid/</link><description>bench</description>{built}").encode()


def rss_items(items: list[FeedItem]) -> bytes:
    return ("".join(
        f"<item><title>{escape(item.title)}</title><link>{escape(item.link)}</link>"
        f'<guid isPermaLink="true">{escape(item.link)}</guid><pubDate>{format_datetime(item.published)}</pubDate>'
        f"<description>{escape(item.summary)}</description></item>"
        for item in items
    ) + "</channel></rss>").encode()


class Corpus:
    """Articles for the index benchmarks, made of the sentences of the repository's trade news.

    An article names a cast, as real coverage does (the seed article names 15 entities in 4.3 KB): every
    sentence is recast for each of `casts` casts (a few countries, ministries, agencies, organisations,
    companies and people from the gazetteer) and enriched once per cast; an article takes 12 to 30
    sentences of one cast in paragraphs of three, and carries their tags, entities and events with
    offsets moved to where each sentence now stands: the tags, evidence and entities enrichment gives,
    at the cost of a join.
    """

    SOURCES = [f"{name}.example" for name in (
        "tradewire-daily", "customs-review", "port-gazette", "policy-monitor", "exporter-news", "ministry-watch",
        "shipping-times", "steel-report", "chip-bulletin", "farm-trade", "wto-digest", "asia-markets",
    )]
    BACKGROUND = ""  # the topic of sentences that carry no tag
    CAST = {"country": 4, "ministry": 2, "agency": 2, "organization": 2, "company": 3, "person": 2}

    def __init__(self, *, seed: int = 5, casts: int = 16) -> None:
        from tradewire.enrich import Enricher
        from tradewire.ingest.configuration import load_config

        config = load_config(None)
        enricher = Enricher(config.taxonomy, config.gazetteer)
        names: dict[str, list[str]] = {}
        for spec in config.gazetteer.entities:
            if not spec.media:
                names.setdefault(spec.type, []).append(spec.name)
        names["country"] = [country.name for country in pycountry.countries if len(country.name) < 20]
        rng = random.Random(seed)
        originals = [(sentence, enricher.enrich(sentence).entities) for sentence in sentences()]
        self.casts: list[dict[str, list[tuple[str, Enrichment]]]] = []
        for _ in range(casts):
            cast = {kind: rng.sample(names[kind], size) for kind, size in self.CAST.items() if names.get(kind)}
            by_topic: dict[str, list[tuple[str, Enrichment]]] = {}
            for text in dict.fromkeys(_recast(sentence, found, cast) for sentence, found in originals):
                enrichment = enricher.enrich(text)
                if len(enrichment.tags) <= 1:  # sentences on one topic only; those on several join articles now and then
                    by_topic.setdefault(enrichment.tags[0].name if enrichment.tags else self.BACKGROUND, []).append((text, enrichment))
                else:
                    by_topic.setdefault(_SEVERAL, []).append((text, enrichment))
            self.casts.append(by_topic)
        self.seed = seed

    def articles(self, count: int, *, start: int = 0) -> Iterator[Article]:
        """Each article has a cast and a topic (a tag, or none for one in ten): a third of its sentences on
        the topic, one in four articles a sentence on several, the rest background trade-news sentences that
        carry no tag, so that tags are about as selective as in real coverage rather than all on every article."""
        rng = random.Random(self.seed * 1_000_003 + start)
        first_day = datetime(2024, 1, 1, tzinfo=timezone.utc)
        topics = sorted(self.casts[0].keys() - {self.BACKGROUND, _SEVERAL})
        for number in range(start, start + count):
            cast = rng.choice(self.casts)
            size = rng.randint(12, 30)
            if rng.random() < 0.1:
                on_topic = []
            else:
                pool = cast.get(rng.choice(topics), [])
                on_topic = rng.sample(pool, min(len(pool), size // 3))
            if rng.random() < 0.25:
                on_topic.append(rng.choice(cast[_SEVERAL]))
            chosen = on_topic + rng.sample(cast[self.BACKGROUND], size - len(on_topic))
            yield self._article(number, chosen, first_day + timedelta(minutes=rng.randrange(2 * 365 * 24 * 60)), rng)

    def _article(self, number: int, units: list[tuple[str, Enrichment]], published: datetime, rng: random.Random) -> Article:
        parts: list[str] = []
        tags: dict[str, Tag] = {}
        entities: dict[str, Entity] = {}
        events: list[Event] = []
        offset = 0
        for position, (text, enrichment) in enumerate(units):
            if position:
                parts.append("\n" if position % 3 == 0 else " ")
                offset += 1
            for tag in enrichment.tags:
                moved = [_moved(evidence, offset) for evidence in tag.evidence]
                known = tags.get(tag.name)
                if known is None:
                    tags[tag.name] = tag.model_copy(update={"evidence": moved})
                else:
                    stronger = MODALITY_STRENGTH[tag.modality] > MODALITY_STRENGTH[known.modality]
                    tags[tag.name] = Tag(name=tag.name, score=max(known.score, tag.score),
                                         modality=tag.modality if stronger else known.modality,
                                         evidence=(known.evidence + moved)[:5])
            for entity in enrichment.entities:
                mentions = [Mention(m.text, m.start + offset, m.end + offset) for m in entity.mentions]
                if entity.id in entities:
                    mentions = entities[entity.id].mentions + mentions
                entities[entity.id] = entity.model_copy(update={"mentions": mentions})
            events += [event.model_copy(update={"evidence": _moved(event.evidence, offset)}) for event in enrichment.events]
            parts.append(text)
            offset += len(text)
        text = "".join(parts)
        title = units[0][0].split(", ")[0][:110]
        source = self.SOURCES[number % len(self.SOURCES)]
        url = f"https://{source}/{published:%Y/%m}/story-{number}"
        return Article(
            id=article_id(url), url=url, canonical_url=url, feed=f"feed-{number % 40}", source=source, title=title,
            author=rng.choice(["Staff reporter", "Trade desk", None]), published=published,
            fetched=published + timedelta(minutes=5), language="en", text=text, tags=list(tags.values()),
            entities=list(entities.values()), events=events[:20], content_hash=content_hash(title, text),
            story_id=article_id(url),
        )


def sentences() -> list[str]:
    return [sentence for paragraph in paragraphs() for sentence in _SENTENCE_END.split(paragraph) if len(sentence) > 40]


def _recast(sentence: str, entities: list[Entity], cast: dict[str, list[str]]) -> str:
    """The sentence with the gazetteer entities it names played by the cast: the entities of one type take
    consecutive names of that type, from a place that depends on the first of them."""
    known = [entity for entity in entities if entity.known and cast.get(entity.type)]
    role: dict[str, str] = {}
    for kind, players in cast.items():
        named = [entity.id for entity in known if entity.type == kind]
        first = zlib.crc32(named[0].encode()) if named else 0
        role |= {entity_id: players[(first + place) % len(players)] for place, entity_id in enumerate(named)}
    mentions = sorted(((mention, entity.id) for entity in known for mention in entity.mentions),
                      key=lambda pair: pair[0].start, reverse=True)
    for mention, entity_id in mentions:
        sentence = sentence[: mention.start] + role[entity_id] + sentence[mention.end :]
    return sentence


def _moved(evidence: Evidence, offset: int) -> Evidence:
    return evidence.model_copy(update={"start": evidence.start + offset, "end": evidence.end + offset})
