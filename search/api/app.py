"""The HTTP API: search, articles, alerts, feeds, health, metrics, and the web page; JSON errors, never tracebacks."""

from __future__ import annotations

import hmac
import logging
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, Field

from search.api.services import ApiServices, FeedChangeError
from search.api.web import web_routes
from search.backends import BackendError
from search.query import QuerySyntaxError, with_filters
from search.query.parser import MAX_QUERY_LENGTH
from search.results import MAX_PAGE_SIZE, SearchRequest

log = logging.getLogger("tradewire.api")
TOKEN_COOKIE = "tradewire_token"


class FeedIn(BaseModel):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
    url: str = Field(max_length=4096)
    title: str | None = Field(default=None, max_length=300)
    tags: list[str] = Field(default_factory=list, max_length=20)
    interval: str | None = Field(default=None, max_length=20)


def create_app(services: ApiServices, *, token: str | None, version: str) -> FastAPI:
    app = FastAPI(
        title="tradewire", version=version, docs_url=None, redoc_url=None,
        description="Trade-policy news monitoring: search tagged articles, read alerts, manage feeds.",
    )
    app.state.services = services
    app.state.token = token

    def authorised(request: Request) -> None:
        """With a token configured, every request but /healthz must carry it (Bearer header or the login cookie)."""
        if token is None:
            return
        header = request.headers.get("authorization", "")
        given = header[7:] if header.lower().startswith("bearer ") else request.cookies.get(TOKEN_COOKIE, "")
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(401, "missing or wrong token: send 'Authorization: Bearer <token>'")

    guarded = [Depends(authorised)]

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, error: HTTPException) -> JSONResponse:
        return JSONResponse({"error": error.detail}, status_code=error.status_code, headers=error.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"] if part not in ("query", "body"))
        return JSONResponse({"error": f"invalid {where}: {first['msg']}"}, status_code=400)

    @app.exception_handler(QuerySyntaxError)
    async def _bad_query(request: Request, error: QuerySyntaxError) -> JSONResponse:
        return JSONResponse({"error": str(error), "position": error.position}, status_code=400)

    @app.exception_handler(BackendError)
    async def _index_down(request: Request, error: BackendError) -> JSONResponse:
        return JSONResponse({"error": f"the index is unavailable: {error}"}, status_code=503)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("request failed", extra={"url": str(request.url.path)})
        return JSONResponse({"error": "internal error; the server log has the details"}, status_code=500)

    @app.get("/search", dependencies=guarded, summary="Search articles (same JSON as `tradewire search --json`)")
    def search(
        q: Annotated[str, Query(max_length=MAX_QUERY_LENGTH, description="query language, e.g. '\"rare earth\" AND tag:export_licenses'")] = "",
        tag: Annotated[list[str], Query(max_length=20)] = [],  # noqa: B006 (FastAPI reads the default)
        entity: Annotated[list[str], Query(max_length=20)] = [],  # noqa: B006
        source: Annotated[list[str], Query(max_length=20)] = [],  # noqa: B006
        since: Annotated[str | None, Query(max_length=40, description="7d, 12h or a date")] = None,
        until: Annotated[str | None, Query(max_length=40)] = None,
        sort: Literal["relevance", "date"] = "relevance",
        size: Annotated[int, Query(ge=0, le=MAX_PAGE_SIZE)] = 10,
        cursor: Annotated[str | None, Query(max_length=2000)] = None,
        facets: bool = True,
    ) -> dict[str, Any]:
        query = with_filters(q, tags=tag, entities=entity, sources=source, since=since, until=until)
        try:
            result = services.backend.search(SearchRequest(query=query, sort=sort, size=size, cursor=cursor, facets=facets))
        except ValueError as error:
            raise HTTPException(400, str(error)) from None
        return result.to_json()

    @app.get("/articles/{article_id}", dependencies=guarded, summary="One article with tags, evidence, entities, events")
    def article(article_id: Annotated[str, PathParam(max_length=64)]) -> dict[str, Any]:
        found = services.backend.get(article_id)
        if found is None:
            raise HTTPException(404, f"no article with id {article_id}")
        return found.model_dump(mode="json")

    @app.get("/alerts", dependencies=guarded, summary="Recent alerts with their delivery status")
    def alerts(limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[dict[str, Any]]:
        return services.outbox.recent(limit)

    @app.get("/feeds", dependencies=guarded, summary="Feeds: state, last fetch, next poll, last error")
    def feeds() -> list[dict[str, Any]]:
        return services.feeds()

    @app.post("/feeds", dependencies=guarded, status_code=201, summary="Add a feed (written to feeds.yaml)")
    def add_feed(feed: FeedIn) -> dict[str, Any]:
        try:
            services.add_feed(feed.model_dump(exclude_none=True))
        except FeedChangeError as error:
            raise HTTPException(400, str(error)) from None
        return {"added": feed.name}

    @app.delete("/feeds/{name}", dependencies=guarded, summary="Remove a feed (its articles stay indexed)")
    def remove_feed(name: str) -> dict[str, Any]:
        try:
            services.remove_feed(name)
        except FeedChangeError as error:
            raise HTTPException(404, str(error)) from None
        return {"removed": name}

    @app.get("/healthz", summary="Scheduler alive, index reachable, outbox and spool backlogs")
    def healthz() -> JSONResponse:
        report = services.health()
        return JSONResponse(report, status_code=200 if report["status"] == "ok" else 503)

    @app.get("/metrics", dependencies=guarded, summary="Prometheus metrics", response_class=Response)
    def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    app.include_router(web_routes(services, authorised, Path(__file__).parent / "templates"))
    return app
