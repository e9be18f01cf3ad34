"""Renderers: a Result in, text or bytes out. Nothing here computes money.

Each format lives in its own module and is imported only when asked for, so
that `check` and the default table pay nothing for Excel or HTML.
"""

from __future__ import annotations

from importlib import import_module

FORMATS = {"table": "table", "json": "json_report", "csv": "csv_report", "markdown": "markdown_report",
           "xlsx": "xlsx_report", "html": "html_report"}
#: formats that are bytes, written only to a file
BINARY = {"xlsx"}


def render(result, fmt: str, **options) -> str | bytes:
    module = import_module(f"nhnprice.report.{FORMATS[fmt]}")
    return module.render(result, **options)


def data_notice(result) -> list[str]:
    """One line per data set that is not official: what every report must say."""
    lines = []
    for name, node in result.graph.datasets.items():
        if node.provenance in ("proxy", "synthetic") or node.provenance is None:
            status = node.provenance or "unlabelled"
            lines.append(f"{name}: {status}" + (f", {node.provenance_text}" if node.provenance_text else ""))
    return lines
