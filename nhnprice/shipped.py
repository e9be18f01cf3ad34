"""Files nhnprice ships with its code: the grammar and the reference data.

An installed wheel has them inside the package (pyproject.toml's force-include);
a source tree has them in `grammar/` and `specs/data/reference/` beside it. Plain
paths (os.path), not importlib.resources or pathlib, whose imports cost a `check`
more than reading the files.
"""

from __future__ import annotations

import os

PACKAGE = os.path.dirname(os.path.realpath(__file__))


def shipped_file(packaged: str, in_source_tree: str) -> str:
    """`packaged` inside the installed package, else `in_source_tree` relative to the source tree."""
    path = os.path.join(PACKAGE, packaged)
    return path if os.path.isfile(path) else os.path.join(os.path.dirname(PACKAGE), in_source_tree)


def shipped_text(packaged: str, in_source_tree: str, encoding: str = "utf-8") -> str:
    """The text of a shipped file (see `shipped_file`)."""
    with open(shipped_file(packaged, in_source_tree), encoding=encoding) as f:
        return f.read()
