"""The web page for analysts: search with facets, an article with its evidence marked (or a designation with its
list entry), live alerts, feed health.

Server-rendered with Jinja2 (autoescaping on), no external assets: it works offline.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from tradewire.core.article import Article
from tradewire.core.designation import Designation
from tradewire.core.enrichment import MODALITY_LEGEND, MODALITY_WORDS
from tradewire.search.api.security import LoginCookie
from tradewire.search.api.services import ApiServices
from tradewire.search.query import QuerySyntaxError, with_filters
from tradewire.search.results import SearchRequest

_FACET_PARAMETERS = {"tags": "tag", "entities": "entity", "sources": "source"}


def web_routes(
    services: ApiServices, authorised: Callable[[Request], None], login_cookie: LoginCookie, templates_dir: Path,
) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    templates = Jinja2Templates(directory=str(templates_dir))
    templates.env.filters["modality_word"] = MODALITY_WORDS.__getitem__
    templates.env.globals["modality_legend"] = MODALITY_LEGEND

    def signed_in(request: Request) -> bool:
        try:
            authorised(request)
        except HTTPException:
            return False
        return True

    def page(request: Request, name: str, **context: Any) -> Response:
        if not signed_in(request):
            return RedirectResponse("/login", status_code=303)
        return templates.TemplateResponse(request, name, context)

    @router.get("/", response_class=HTMLResponse)
    def search_page(request: Request, q: str = "", sort: str = "relevance", cursor: str | None = None) -> Response:
        if not signed_in(request):  # before any work: no searches for whoever has no token
            return RedirectResponse("/login", status_code=303)
        tags = request.query_params.getlist("tag")
        entities = request.query_params.getlist("entity")
        sources = request.query_params.getlist("source")
        since = request.query_params.get("since") or None
        error, result = None, None
        try:
            query = with_filters(q[:2000], tags=tags[:20], entities=entities[:20], sources=sources[:20], since=since)
            result = services.backend.search(SearchRequest(
                query=query, sort="date" if sort == "date" else "relevance", size=20, cursor=cursor,
            ))
        except (QuerySyntaxError, ValueError) as caught:
            error = str(caught)
        current = {"q": q, "sort": sort, "tag": tags, "entity": entities, "source": sources, "since": since or ""}

        def link(**changes: Any) -> str:
            params = {key: value for key, value in current.items() if value}
            for key, value in changes.items():
                if key in ("tag", "entity", "source"):
                    params[key] = [*current[key], value] if value not in current[key] else current[key]
                else:
                    params[key] = value
            return "/?" + urlencode(params, doseq=True)

        def without(key: str, value: str) -> str:
            params = {k: v for k, v in current.items() if v}
            params[key] = [item for item in current[key] if item != value]
            return "/?" + urlencode(params, doseq=True)

        def facet_link(facet: str, value: str) -> str:
            if facet == "kinds":
                return link(q=f"{q} kind:{value}".strip())
            return link(**{_FACET_PARAMETERS[facet]: value})

        return page(request, "search.html", q=q, sort=sort, result=result, error=error, filters=current,
                    link=link, without=without, facet_link=facet_link)

    @router.get("/ui/articles/{article_id}", response_class=HTMLResponse)
    def article_page(request: Request, article_id: str) -> Response:
        if not signed_in(request):  # before the lookup: whether an id exists is not told to strangers
            return RedirectResponse("/login", status_code=303)
        article = services.backend.get(article_id[:64])
        if article is None:
            return templates.TemplateResponse(request, "missing.html", {"article_id": article_id}, status_code=404)
        if isinstance(article, Designation):
            return page(request, "designation.html", designation=article)
        return page(request, "article.html", article=article, segments=evidence_segments(article))

    @router.get("/ui/alerts", response_class=HTMLResponse)
    def alerts_page(request: Request) -> Response:
        return page(request, "alerts.html", alerts=services.outbox.recent(50))

    @router.get("/ui/feeds", response_class=HTMLResponse)
    def feeds_page(request: Request) -> Response:
        return page(request, "feeds.html", feeds=services.feeds(), health=services.health())

    @router.get("/login", response_class=HTMLResponse)
    def login_form(request: Request) -> Response:
        return templates.TemplateResponse(request, "login.html", {"failed": False})

    @router.post("/login", response_class=HTMLResponse)
    def login(request: Request, token: str = Form(max_length=500)) -> Response:
        expected = request.app.state.token
        if expected is None:
            return RedirectResponse("/", status_code=303)
        if hmac.compare_digest(token.encode(), expected.encode()):
            response = RedirectResponse("/", status_code=303)
            login_cookie.set_on(response, request)
            return response
        return templates.TemplateResponse(request, "login.html", {"failed": True}, status_code=401)

    return router


def evidence_segments(article: Article) -> list[dict[str, Any]]:
    """The article text cut at evidence boundaries: each piece with the tags whose evidence covers it."""
    cuts = {0, len(article.text)}
    spans: list[tuple[int, int, str]] = []
    for tag in article.tags:
        for evidence in tag.evidence:
            if 0 <= evidence.start < evidence.end <= len(article.text):
                spans.append((evidence.start, evidence.end, tag.name))
                cuts.update((evidence.start, evidence.end))
    points = sorted(cuts)
    segments = []
    for start, end in zip(points, points[1:]):
        tags = sorted({name for s, e, name in spans if s <= start and end <= e})
        segments.append({"text": article.text[start:end], "tags": tags})
    return segments
