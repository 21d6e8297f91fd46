"""Model.model_construct makes the very instance pydantic's own does, faster (enrichment builds dozens per article)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, Field

from tradewire.core.enrichment import Entity, Event, Evidence, Mention
from tradewire.core.model import Model


class _Aliased(Model):
    sender: str = Field(alias="from")


class _Extra(Model):
    model_config = ConfigDict(extra="allow")
    name: str = "x"


class _MutableDefault(Model):
    tags: list[str] = ["a"]  # pydantic copies a mutable default: its own model_construct is used


def _pydantic(cls: type[BaseModel], **values: Any) -> BaseModel:
    return BaseModel.model_construct.__func__(cls, **values)  # type: ignore[attr-defined]


def _state(model: BaseModel) -> tuple[Any, ...]:
    return (type(model), list(model.__dict__.items()), model.model_fields_set, model.__pydantic_extra__,
            model.__pydantic_private__)


EVIDENCE = {"text": "Sanctions were imposed.", "start": 0, "end": 23}


@pytest.mark.parametrize(
    ("cls", "values"),
    [
        (Evidence, EVIDENCE),
        (Evidence, {**EVIDENCE, "rules": ["r1"], "modality": "negated"}),
        (Evidence, {**EVIDENCE, "not_a_field": 1}),  # ignored, as pydantic ignores it
        (Entity, {"id": "cn", "name": "China", "type": "country", "mentions": [Mention("China", 0, 5)], "known": True}),
        (Entity, {"id": "cn", "name": "China", "type": "country"}),  # defaults filled, a new list each time
        (Event, {"measure": "sanctions", "tag": "sanctions", "evidence": Evidence(**EVIDENCE), "actor": "US"}),
        (Evidence, {"text": "missing its offsets"}),  # required fields left out stay out, as in pydantic's
        (_Aliased, {"from": "a@example.org"}),
        (_Extra, {"name": "y", "other": 2}),
        (_MutableDefault, {}),
    ],
)
def test_model_construct_makes_what_pydantic_makes(cls: type[Model], values: dict[str, Any]) -> None:
    ours, theirs = cls.model_construct(**values), _pydantic(cls, **values)
    assert _state(ours) == _state(theirs)
    if "start" in values and "end" in values:
        assert ours.model_dump_json() == theirs.model_dump_json()


def test_model_construct_default_lists_are_not_shared() -> None:
    first = Entity.model_construct(id="a", name="A", type="company")
    second = Entity.model_construct(id="b", name="B", type="company")
    first.mentions.append(Mention("A", 0, 1))
    assert second.mentions == []


def test_model_construct_with_fields_set_is_pydantics() -> None:
    ours = Evidence.model_construct({"text"}, **EVIDENCE)
    assert ours.model_fields_set == {"text"}
    assert _state(ours) == _state(_pydantic(Evidence, _fields_set={"text"}, **EVIDENCE))
