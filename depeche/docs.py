"""Docs generated from the code, so the README cannot drift (checked by tests/test_docs.py)."""
from __future__ import annotations

from dataclasses import MISSING, fields

from depeche.settings import ENV_PREFIX, Settings


def _default(f) -> str:
    value = f.default_factory() if f.default is MISSING else f.default
    if isinstance(value, list):
        value = ":".join(value)
    return f"`{value}`" if value not in ("", None) else "(empty)"


def settings_table() -> str:
    return "\n".join(
        f"| `{f.name}` | `{ENV_PREFIX}{f.name.upper()}` | {_default(f)} | {f.metadata['help']} |"
        for f in fields(Settings)
    )


if __name__ == "__main__":
    print(settings_table())
