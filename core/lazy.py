"""A package's public names imported from their modules on first use (PEP 562), so that importing one light
submodule (`search.alerts.options`) does not import the whole package."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_exports(exports: dict[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """`__getattr__` and `__dir__` for a package whose names (keys) live in modules (values)."""

    def __getattr__(name: str) -> Any:
        if name not in exports:
            raise AttributeError(f"module has no attribute {name!r}")
        return getattr(importlib.import_module(exports[name]), name)

    def __dir__() -> list[str]:
        return sorted(exports)

    return __getattr__, __dir__
