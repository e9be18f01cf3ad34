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


def write_site(result, directory: str, lang: str = "nb") -> int:
    """`--format site`: a folder of pages (nhnprice.report.site, loaded only for it); how many."""
    return import_module("nhnprice.report.site").write_site(result, directory, lang)


def chunks(result, fmt: str, **options) -> Iterable[str | bytes]:
    """The report in pieces, to be written as they are made (`render` joined): a format whose
    module has `chunks` (JSON) never holds its whole text in memory twice."""
    module = import_module(f"nhnprice.report.{FORMATS[fmt]}")
    if hasattr(module, "chunks"):
        return module.chunks(result, **options)
    return (module.render(result, **options),)


#: what makes a spreadsheet read a cell as a formula (OWASP, "CSV injection")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """Text from a spec or its data as a CSV cell no spreadsheet runs: one that would start a
    formula gets a leading `'`, as OWASP advises (`=1+1` is written `'=1+1`)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def status_text(status: str | None, L: dict | None = None) -> str:
    """A data set's provenance status in the report's language (as the spec writes it without one)."""
    if L is None:
        return status or "unlabelled"
    return L.get(f"status_{status or 'none'}", status or L["status_none"])


def provenance_line(node, L: dict | None = None) -> str:
    """`proxy, befolkning 1. januar 2024 ... (2024-01-01)`: a data set's status, source and reference date."""
    text = status_text(node.provenance, L)
    if node.provenance_text:
        text += f", {node.provenance_text}"
    if node.date:
        text += f" ({node.date})"
    return text


def data_notice(result, L: dict | None = None) -> list[str]:
    """One line per data set that is not official: what every report must say (in the words of
    the spec's status keywords when no language is given, as the JSON report has them)."""
    return [f"{name}: {provenance_line(node, L)}" for name, node in result.graph.datasets.items()
            if node.provenance != "official"]
