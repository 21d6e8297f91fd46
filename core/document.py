"""The documents an index holds: articles and designations, told apart by their `kind` (an article stored before
kinds existed has none, and is an article)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Discriminator, Tag, TypeAdapter

from tradewire.core.article import Article
from tradewire.core.designation import Designation

Document = Article | Designation
KINDS = ("article", "designation")


def _kind(value: Any) -> str:
    return value.get("kind", "article") if isinstance(value, dict) else getattr(value, "kind", "article")


_DOCUMENT: TypeAdapter[Document] = TypeAdapter(
    Annotated[Annotated[Article, Tag("article")] | Annotated[Designation, Tag("designation")], Discriminator(_kind)]
)


def document_from_json(text: str | bytes) -> Document:
    return _DOCUMENT.validate_json(text)


def document_from_dict(data: dict[str, Any]) -> Document:
    return _DOCUMENT.validate_python(data)
