"""The HTTP API: search, articles, alerts, feeds, health, metrics, and the web page; JSON errors, never tracebacks."""

from __future__ import annotations

import hmac
import logging
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from tradewire.search.api.security import LoginCookie, SecurityHeaders
from tradewire.search.api.services import ApiServices, FeedChangeError
from tradewire.search.api.web import web_routes
from tradewire.search.backends import BackendError
from tradewire.search.query import QuerySyntaxError, with_filters
from tradewire.search.query.parser import MAX_QUERY_LENGTH
from tradewire.search.results import MAX_PAGE_SIZE, SearchRequest

log = logging.getLogger("tradewire.api")
# Declares the bearer scheme in the OpenAPI schema; `authorised` decides (the web page's cookie counts too).
_BEARER = HTTPBearer(auto_error=False, description="The token of TRADEWIRE_API_TOKEN")


class ApiError(BaseModel):
    """Every error the API gives: a message, and for a query syntax error the position it points at."""

    error: str
    position: int | None = None


_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ApiError, "description": "Invalid input (parameter, query syntax, cursor)"},
    401: {"model": ApiError, "description": "Missing or wrong token"},
    503: {"model": ApiError, "description": "The index is unavailable"},
}


class FeedIn(BaseModel):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
    url: str = Field(max_length=4096)
    title: str | None = Field(default=None, max_length=300)
    tags: list[str] = Field(default_factory=list, max_length=20)
    interval: str | None = Field(default=None, max_length=20)


def create_app(services: ApiServices, *, token: str | None, version: str) -> FastAPI:
    # The schema is served below, behind the token like every other route (FastAPI's own would be open).
    app = FastAPI(
        title="tradewire", version=version, docs_url=None, redoc_url=None, openapi_url=None,
        description="Trade-policy news monitoring: search tagged articles, read alerts, manage feeds.",
    )
    app.add_middleware(SecurityHeaders)
    app.state.services = services
    app.state.token = token
    login = LoginCookie(token)

    def authorised(
        request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)] = None
    ) -> None:
        """With a token configured, every request but /healthz, the login page and the page's style sheet and script
        must carry it: the Bearer header, or the login cookie the web page was given for it."""
        if token is None:
            return
        if credentials is not None:
            if hmac.compare_digest(credentials.credentials.encode(), token.encode()):
                return
        elif login.holds_session(request):
            return
        raise HTTPException(401, "missing or wrong token: send 'Authorization: Bearer <token>'")

    guarded = [Depends(authorised)]

    @app.exception_handler(StarletteHTTPException)  # FastAPI's HTTPException and the router's own 404/405
    async def _http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
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

    @app.get("/search", dependencies=guarded, responses=_ERRORS, summary="Search articles (same JSON as `tradewire search --json`)")
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

    @app.get("/articles/{article_id}", dependencies=guarded, responses={**_ERRORS, 404: {"model": ApiError}}, summary="One article with tags, evidence, entities, events")
    def article(article_id: Annotated[str, PathParam(max_length=64)]) -> dict[str, Any]:
        found = services.backend.get(article_id)
        if found is None:
            raise HTTPException(404, f"no article with id {article_id}")
        return found.model_dump(mode="json")

    @app.get("/alerts", dependencies=guarded, responses=_ERRORS, summary="Recent alerts with their delivery status")
    def alerts(limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[dict[str, Any]]:
        return services.outbox.recent(limit)

    @app.get("/feeds", dependencies=guarded, responses=_ERRORS, summary="Feeds: state, last fetch, next poll, last error")
    def feeds() -> list[dict[str, Any]]:
        return services.feeds()

    @app.post("/feeds", dependencies=guarded, status_code=201, responses=_ERRORS, summary="Add a feed (written to feeds.yaml)")
    async def add_feed(feed: FeedIn) -> dict[str, Any]:
        # async: runs on the service's event loop, where the scheduler and the state store live (a reload follows)
        try:
            services.add_feed(feed.model_dump(exclude_none=True))
        except FeedChangeError as error:
            raise HTTPException(error.status, str(error)) from None
        return {"added": feed.name}

    @app.delete("/feeds/{name}", dependencies=guarded, responses={**_ERRORS, 404: {"model": ApiError}}, summary="Remove a feed (its articles stay indexed)")
    async def remove_feed(name: str) -> dict[str, Any]:
        try:
            services.remove_feed(name)
        except FeedChangeError as error:
            raise HTTPException(error.status, str(error)) from None
        return {"removed": name}

    @app.get("/screen", dependencies=guarded, responses={**_ERRORS, 503: {"model": ApiError}}, summary="Whether a name is on a sanctions list (same JSON as `tradewire screen --json`)")
    def screen(name: Annotated[str, Query(min_length=1, max_length=300)], limit: Annotated[int, Query(ge=1, le=100)] = 10) -> dict[str, Any]:
        if services.screen is None:
            raise HTTPException(503, "screening is not available in this service")
        try:
            return services.screen(name, limit)
        except LookupError as error:
            raise HTTPException(503, str(error)) from None

    @app.get("/healthz", responses={503: {"description": "Degraded: the same report, with what is down"}}, summary="Scheduler alive, index reachable, outbox and spool backlogs")
    def healthz() -> JSONResponse:
        report = services.health()
        return JSONResponse(report, status_code=200 if report["status"] == "ok" else 503)

    @app.get("/metrics", dependencies=guarded, responses={401: _ERRORS[401]}, summary="Prometheus metrics", response_class=Response)
    def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    @app.get("/openapi.json", dependencies=guarded, include_in_schema=False)
    def openapi() -> dict[str, Any]:
        return _openapi(app)

    app.include_router(web_routes(services, authorised, login, Path(__file__).parent / "templates"))
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema, less the 422 it documents for every validated route: this API answers 400 (ApiError)."""
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                operation.get("responses", {}).pop("422", None)
        for name in ("HTTPValidationError", "ValidationError"):
            schema.get("components", {}).get("schemas", {}).pop(name, None)
        app.openapi_schema = schema
    return app.openapi_schema
