"""Files nhnprice ships with its code: the grammar and the reference data.

An installed wheel has them inside the package (pyproject.toml's force-include);
a source tree has them in `grammar/` and `specs/data/reference/` beside it. Plain
paths, not importlib.resources, which costs a `check` 20 ms of imports.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def shipped_file(packaged: str, in_source_tree: str) -> Path:
    """`packaged` inside the installed package, else `in_source_tree` relative to the source tree."""
    path = PACKAGE / packaged
    return path if path.is_file() else PACKAGE.parent / in_source_tree
