"""Renderers: a Result in, text or bytes out. Nothing here computes money.

Each format lives in its own module and is imported only when asked for, so
that `check` and the default table pay nothing for Excel or HTML.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module
from types import MappingProxyType

#: format -> the module of nhnprice.report that renders it (in the order `--format` lists them)
FORMATS = MappingProxyType({"table": "table", "markdown": "markdown_report", "json": "json_report",
                            "csv": "csv_report", "xlsx": "xlsx_report", "html": "html_report"})
#: formats that are bytes, written only to a file
BINARY = frozenset({"xlsx"})


def render(result, fmt: str, **options) -> str | bytes:
    module = import_module(f"nhnprice.report.{FORMATS[fmt]}")
    return module.render(result, **options)


def chunks(result, fmt: str, **options) -> Iterable[str | bytes]:
    """The report in pieces, to be written as they are made (`render` joined): a format whose
    module has `chunks` (JSON) never holds its whole text in memory twice."""
    module = import_module(f"nhnprice.report.{FORMATS[fmt]}")
    if hasattr(module, "chunks"):
        return module.chunks(result, **options)
    return (module.render(result, **options),)


def provenance_line(node) -> str:
    """`proxy, befolkning 1. januar 2024 ... (2024-01-01)`: a data set's status, source and reference date."""
    text = node.provenance or "unlabelled"
    if node.provenance_text:
        text += f", {node.provenance_text}"
    if node.date:
        text += f" ({node.date})"
    return text


def data_notice(result) -> list[str]:
    """One line per data set that is not official: what every report must say."""
    return [f"{name}: {provenance_line(node)}" for name, node in result.graph.datasets.items()
            if node.provenance != "official"]
