"""Which rules an article matches, and why: the rule's query (the same one search runs) plus its filters (with
`watchlist: true`, a watched party named in the article)."""

from __future__ import annotations

from dataclasses import dataclass

from tradewire.core.article import Article
from tradewire.core.enrichment import MODALITY_WORDS, Tag
from tradewire.search.alerts.rules import Rule
from tradewire.search.query import And, Keyword, MatchableArticle, Not, Or, Query, matches


@dataclass(frozen=True, slots=True)
class RuleMatch:
    rule: Rule
    # The tags the rule is about (named by it or its query), for the message; all tags when it names none.
    tags: list[Tag]
    why: str


@dataclass(frozen=True, slots=True)
class _Compiled:
    rule: Rule
    query: Query
    query_tags: frozenset[str]


class AlertMatcher:
    def __init__(self, rules: list[Rule]) -> None:
        self._rules = [
            _Compiled(rule, rule.parsed_query(), frozenset(_tags_named(rule.parsed_query())))
            for rule in rules
            if rule.enabled and not rule.designations
        ]

    def match(self, article: Article) -> list[RuleMatch]:
        analysed = MatchableArticle.of(article)
        found = []
        for compiled in self._rules:
            result = self._check(compiled, article, analysed)
            if result is not None:
                found.append(result)
        return found

    @staticmethod
    def _check(compiled: _Compiled, article: Article, analysed: MatchableArticle) -> RuleMatch | None:
        rule = compiled.rule
        if rule.watchlist and not article.watched:
            return None
        if not matches(compiled.query, analysed):
            return None
        by_name = {tag.name: tag for tag in article.tags}
        if rule.sources and article.source.lower() not in {source.lower() for source in rule.sources}:
            return None
        if rule.entities:
            wanted = {entity.lower() for entity in rule.entities}
            if not any(entity.id.lower() in wanted or entity.name.lower() in wanted for entity in article.entities):
                return None
        about = list(rule.tags) or sorted(compiled.query_tags)
        if rule.tags and any(name not in by_name for name in rule.tags):
            return None
        candidates = [by_name[name] for name in about if name in by_name] or (list(article.tags) if not about else [])
        if rule.min_score is not None or rule.asserted:
            qualifying = [
                tag for tag in candidates
                if (rule.min_score is None or tag.score >= rule.min_score) and (not rule.asserted or tag.modality == "asserted")
            ]
            # Tags the rule names must each qualify; for tags only its query names, one qualifying is enough.
            if rule.tags and len(qualifying) < len(rule.tags) or not qualifying:
                return None
            candidates = qualifying
        reasons = [f"query {rule.query!r} matched" if rule.query else "every article matches the rule's query"]
        reasons += [f"{tag.name} {MODALITY_WORDS[tag.modality]} ({tag.score:.2f})" for tag in candidates]
        if rule.watchlist:
            reasons += [f"watched party {mention.party} named as {mention.text!r} ({mention.score:.2f})" for mention in article.watched]
        return RuleMatch(rule, candidates, "; ".join(reasons))


def _tags_named(query: Query) -> list[str]:
    if isinstance(query, Keyword) and query.field in ("tag", "asserted", "lifted") and not query.prefix:
        return [query.value]
    if isinstance(query, (And, Or)):
        return [name for item in query.items for name in _tags_named(item)]
    if isinstance(query, Not):
        return []
    return []
