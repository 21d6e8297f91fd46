"""The base of tradewire's pydantic models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """A model whose validator is built when first used, not when its class is made: a command that reads one
    article or the settings then builds only the validators it uses (`tradewire show` would otherwise build a
    dozen it never calls, a tenth of its time). Subclasses' own `model_config` is merged with this one."""

    model_config = ConfigDict(defer_build=True)
