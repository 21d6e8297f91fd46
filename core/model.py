"""The base of tradewire's pydantic models."""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, ConfigDict

_set = object.__setattr__
# A model class -> how model_construct fills each field: (name, default factory or None, default), or None when
# the class needs pydantic's own (aliases, a post-init, extra fields allowed, private attributes).
_CONSTRUCT_PLANS: dict[type, tuple[tuple[str, Any, Any], ...] | None] = {}
_IMMUTABLE_DEFAULTS = (type(None), str, int, float, bool, bytes)  # what pydantic gives as they are, uncopied
_UNPLANNED: Any = object()


class Model(BaseModel):
    """A model whose validator is built when first used, not when its class is made: a command that reads one
    article or the settings then builds only the validators it uses (`tradewire show` would otherwise build a
    dozen it never calls, a tenth of its time). Subclasses' own `model_config` is merged with this one."""

    model_config = ConfigDict(defer_build=True)

    @classmethod
    def model_construct(cls, _fields_set: set[str] | None = None, **values: Any) -> Self:
        """pydantic's model_construct, the same instance made with a loop over the fields planned once per class
        (enrichment builds dozens of entities, events and evidence per article this way); pydantic's own for a
        class it does not fit."""
        plan = _CONSTRUCT_PLANS.get(cls, _UNPLANNED)
        if plan is _UNPLANNED:
            plan = _CONSTRUCT_PLANS[cls] = _construct_plan(cls)
        if plan is None or _fields_set is not None:
            return super().model_construct(_fields_set, **values)
        instance = cls.__new__(cls)
        fields: dict[str, Any] = {}
        for name, factory, default in plan:
            if name in values:
                fields[name] = values[name]
            elif factory is not None:
                fields[name] = factory()
            elif default is not _REQUIRED:
                fields[name] = default
        _set(instance, "__dict__", fields)
        _set(instance, "__pydantic_fields_set__", {name for name in values if name in fields})
        _set(instance, "__pydantic_extra__", None)
        _set(instance, "__pydantic_private__", None)
        return instance


_REQUIRED = object()


def _construct_plan(cls: type[BaseModel]) -> tuple[tuple[str, Any, Any], ...] | None:
    if (cls.__pydantic_root_model__ or cls.__pydantic_post_init__ or cls.model_config.get("extra") == "allow"
            or cls.__private_attributes__):
        return None
    plan = []
    for name, field in cls.model_fields.items():
        if field.alias is not None or field.validation_alias is not None:
            return None
        if field.is_required():
            plan.append((name, None, _REQUIRED))
        elif field.default_factory is not None:
            if getattr(field, "default_factory_takes_data", False):
                return None
            plan.append((name, field.default_factory, None))
        elif type(field.default) in _IMMUTABLE_DEFAULTS:
            plan.append((name, None, field.default))
        else:
            return None  # pydantic copies a mutable default
    return tuple(plan)
