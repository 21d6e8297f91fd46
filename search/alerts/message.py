"""What an alert says: the rule, the article, the matched tags with their evidence, the entities, the watched parties
it names, why it matched;
or, for a designation rule, the list event and the entry (names, programmes, countries, identifiers)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from tradewire.core.article import Article
from tradewire.core.designation import EVENT_WORDS
from tradewire.core.enrichment import MODALITY_WORDS
from tradewire.search.alerts.matcher import RuleMatch

if TYPE_CHECKING:
    from tradewire.enrich.screening.entries import ListEntry

MAX_EVIDENCE_PER_TAG = 3


def alert_id(rule: str, story_id: str, window_start: datetime) -> str:
    return hashlib.sha256(f"{rule}|{story_id}|{window_start.isoformat()}".encode()).hexdigest()[:24]


def designation_alert_id(rule: str, list_name: str, entry_id: str, event: str, sequence: int) -> str:
    """The same whenever one event of one entry meets one rule: a replayed refresh stores no second alert. The
    entry's events before it (`sequence`) tell a listing from the same entry listed again after a delisting."""
    return hashlib.sha256(f"designation|{rule}|{list_name}|{entry_id}|{event}|{sequence}".encode()).hexdigest()[:24]


def idempotency_key(alert: str, channel: str) -> str:
    """The same for every attempt to send one alert to one channel: receivers drop repeats by it."""
    return hashlib.sha256(f"{alert}|{channel}".encode()).hexdigest()[:32]


def alert_content(match: RuleMatch, article: Article, *, alert: str, created: datetime) -> dict[str, Any]:
    return {
        "id": alert,
        "kind": "alert",
        "rule": match.rule.name,
        "query": match.rule.query,
        "title": article.title,
        "source": article.source,
        "feed": article.feed,
        "url": article.url,
        "article_id": article.id,
        "story_id": article.story_id,
        "published": article.published.isoformat() if article.published else None,
        "created": created.isoformat(),
        "why": match.why,
        "tags": [
            {
                "name": tag.name, "score": tag.score, "modality": tag.modality,
                "evidence": [
                    {"text": e.text, "start": e.start, "end": e.end, "modality": e.modality, "rules": e.rules}
                    for e in tag.evidence[:MAX_EVIDENCE_PER_TAG]
                ],
            }
            for tag in match.tags
        ],
        "entities": [{"id": e.id, "name": e.name, "type": e.type} for e in article.entities],
        "watched": [mention.model_dump() for mention in article.watched],
        "copies": [],
    }


def designation_content(
    rule: str, event: str, entry: ListEntry, *, why: str, alert: str, created: datetime,
    watched: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "id": alert,
        "kind": "designation",
        "rule": rule,
        "event": event,
        "list": entry.list_name,
        "entry_id": entry.entry_id,
        "entry_kind": entry.kind,
        "name": entry.name,
        "aliases": list(entry.names[1:]),
        "programs": list(entry.programs),
        "countries": list(entry.countries),
        "identifiers": list(entry.identifiers),
        "listed_on": entry.listed_on.isoformat() if entry.listed_on else None,
        "created": created.isoformat(),
        "why": why,
        "watched": watched,
    }


def digest_content(rule: str, alerts: list[dict[str, Any]], *, digest: str, period_end: datetime) -> dict[str, Any]:
    return {
        "id": digest, "kind": "digest", "rule": rule, "period_end": period_end.isoformat(),
        "created": datetime.now(timezone.utc).isoformat(), "count": len(alerts), "alerts": alerts,
    }


def subject(content: dict[str, Any]) -> str:
    """One line (a title with a line break in it would make an invalid e-mail header)."""
    if content["kind"] == "digest":
        noun = "designation" if all(alert["kind"] == "designation" for alert in content["alerts"]) else "article"
        line = f"[tradewire] {content['rule']}: {content['count']} new {noun}{'s' if content['count'] != 1 else ''}"
    elif content["kind"] == "designation":
        line = f"[tradewire] {content['rule']}: {designation_line(content)}"
    else:
        # What was done comes first: "sanctions lifted" must not read as a new sanction.
        tags = ", ".join(f"{tag['name']} {MODALITY_WORDS[tag['modality']]}" for tag in content["tags"])
        line = f"[tradewire] {content['rule']}: " + (f"{tags}: " if tags else "") + content["title"]
    return " ".join(line.split())


def plain_text(content: dict[str, Any]) -> str:
    if content["kind"] == "digest":
        parts = [subject(content), ""]
        for alert in content["alerts"]:
            parts += [_body_text(alert), ""]
        return "\n".join(parts).rstrip() + "\n"
    return f"{subject(content)}\n\n{_body_text(content)}\n"


def _body_text(content: dict[str, Any]) -> str:
    return _designation_text(content) if content["kind"] == "designation" else _article_text(content)


def designation_line(content: dict[str, Any]) -> str:
    """`listed on ofac-sdn: Igor Ivanovich SECHIN (RUSSIA-EO14024)`."""
    programs = f" ({', '.join(content['programs'])})" if content["programs"] else ""
    return f"{EVENT_WORDS[content['event']]} {content['list']}: {content['name']}{programs}"


def _designation_text(content: dict[str, Any]) -> str:
    lines = [designation_line(content), f"List: {content['list']} · entry {content['entry_id']} ({content['entry_kind']})"]
    for label, key in (("Aliases", "aliases"), ("Programmes", "programs"), ("Countries", "countries"),
                       ("Identifiers", "identifiers")):
        if content[key]:
            lines.append(f"{label}: " + "; ".join(content[key]))
    if content["listed_on"]:
        lines.append(f"Listed on: {content['listed_on']}")
    if content.get("watched"):
        watched = content["watched"]
        lines.append(f"Watched party: {watched['name']}" + (f" — {watched['note']}" if watched["note"] else ""))
    lines.append(f"Why: {content['why']}")
    return "\n".join(lines)


def _article_text(content: dict[str, Any]) -> str:
    lines = [content["title"], f"{content['source']} · published {content['published'] or 'unknown'}", content["url"], ""]
    for tag in content["tags"]:
        lines.append(f"{tag['name']} {MODALITY_WORDS[tag['modality']]} (score {tag['score']:.2f}):")
        lines += [f"  “{evidence['text']}”" for evidence in tag["evidence"]]
    if content["entities"]:
        lines.append("Entities: " + ", ".join(entity["name"] for entity in content["entities"]))
    for mention in content.get("watched", []):
        note = f" — {mention['note']}" if mention["note"] else ""
        lines.append(f"Watched party: {mention['party']}{note}, named as “{mention['text']}”")
    lines.append(f"Why: {content['why']}")
    if content["copies"]:
        lines.append("Also published by: " + ", ".join(f"{c['source']} {c['url']}" for c in content["copies"]))
    return "\n".join(lines)


def slack_message(content: dict[str, Any]) -> dict[str, Any]:
    """A Slack-compatible incoming-webhook payload (Mattermost and Rocket.Chat read it too)."""
    if content["kind"] == "digest":
        lines = [f"*{subject(content)}*"] + [
            f"• {_escape(designation_line(a))}" if a["kind"] == "designation" else f"• <{a['url']}|{_escape(a['title'])}> ({a['source']})"
            for a in content["alerts"]
        ]
        return {"text": "\n".join(lines)}
    if content["kind"] == "designation":
        text = f"*{_escape(content['rule'])}*: {_escape(designation_line(content))}"
        return {"text": text, "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
            {"type": "section", "text": {"type": "mrkdwn", "text": _escape(_designation_text(content))}},
        ]}
    evidence = "\n".join(
        f"> *{tag['name']}* {MODALITY_WORDS[tag['modality']]} ({tag['score']:.2f}): {_escape(tag['evidence'][0]['text'])}"
        for tag in content["tags"] if tag["evidence"]
    )
    tags = ", ".join(f"{tag['name']} {MODALITY_WORDS[tag['modality']]}" for tag in content["tags"])
    text = (f"*{_escape(content['rule'])}*: " + (f"{tags}: " if tags else "")
            + f"<{content['url']}|{_escape(content['title'])}> ({content['source']})")
    return {
        "text": text,
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
            *([{"type": "section", "text": {"type": "mrkdwn", "text": evidence}}] if evidence else []),
            {"type": "context", "elements": [{"type": "mrkdwn", "text": _escape(content["why"])}]},
        ],
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
