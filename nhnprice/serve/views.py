"""What the page shows, as JSON: built from an evaluation with the reports' own pieces.

The summary table and the picture of the flows are the HTML report's
(`report/html_report.py`), so the page and the downloaded report never differ;
the rest is plain data the page puts into its own elements. Nothing here
computes money.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType

from nhnprice.diagnostics import Diagnostic, as_dict, sort_key
from nhnprice.explain import as_dict as explanation_dict
from nhnprice.explain import explain
from nhnprice.messages import localise_all
from nhnprice.numbers import kroner2, mill, mill_exact
from nhnprice.params import format_value
from nhnprice.report import data_notice, render
from nhnprice.report.explain_text import render as explanation_text
from nhnprice.report.html_report import sankey, summary_table
from nhnprice.report.labels import labels
from nhnprice.report.regulation_text import regulation_text
from nhnprice.report.table import fee_lines, parameter_lines
from nhnprice.serve.workspace import Evaluation, Workspace

#: at most this many entities are listed at a time; a search narrows them
MAX_ENTITIES = 200

#: downloads: format -> (file name suffix, media type)
DOWNLOADS = MappingProxyType({
    "xlsx": (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "html": (".html", "text/html; charset=utf-8"),
    "json": (".json", "application/json"),
    "csv": (".csv", "text/csv; charset=utf-8"),
    "regulation": ("-forskrift.txt", "text/plain; charset=utf-8"),
})


def diagnostics(found: Iterable[Diagnostic], lang: str = "nb") -> list[dict]:
    """In source order and in the page's language, as `--diagnostics json` gives them."""
    localised, _ = localise_all(sorted(found, key=sort_key), lang)
    return [as_dict(d) for d in localised]


def page(workspace: Workspace, evaluation: Evaluation) -> dict:
    """Everything the page shows for the editor's text."""
    graph, result = evaluation.graph, evaluation.result
    out: dict = {"ok": result is not None, "diagnostics": diagnostics(evaluation.diagnostics),
                 "spec": workspace.spec_path, "uploads": uploads(workspace)}
    if graph is None:
        return out
    out["parameters"] = [{"name": p.name, "kind": p.kind, "description": p.description,
                          "default": None if p.default is None else format_value(p.kind, p.default)}
                         for p in graph.parameters.values()]
    out["datasets"] = [{"name": d.name, "kind": d.kind, "title": d.title, "file": d.declared_path}
                       for d in graph.datasets.values()]
    out["groups"] = [{"id": g.id, "title": g.title} for g in graph.groups.values()]
    if result is None:
        return out
    L = labels("nb")
    titles = {p.id: p.title for p in graph.pools}
    out.update(
        title=graph.title,
        summary=summary_table(result, L),
        flows=sankey(result, L),
        notices=data_notice(result),
        adjustment=[line for line in parameter_lines(result, L) if line],
        values={name: format_value(graph.parameters[name].kind, value) for name, value in result.parameters.items()},
        checks=[{"description": c.description, "label": c.label, "ok": c.ok,
                 "expected": mill_exact(c.expected_ore), "actual": mill_exact(c.actual_ore),
                 "line": c.span.line if c.span else None} for c in result.checks],
        residuals=[{"pool": p.id, "title": titles[p.id], "residual": kroner2(p.residual_ore)}
                   for p in result.pools if p.residual_ore],
        fees=[{"depth": depth, "text": text} for depth, text in fee_lines(result, L)],
        # what a fee may collect beyond its group's share is declared (`margin`): the bound, where there is one
        fee_bounds=[L["fee_bound"].format(
            title=graph.groups[f.group].title, share=kroner2(f.share_ore), margin=kroner2(f.margin_ore),
            bound=kroner2(f.share_ore + f.margin_ore), collected=kroner2(f.collected_ore))
            for f in result.fees if f.margin_ore],
        total=mill(sum(p.collected_ore for p in result.pools)),
    )
    return out


def uploads(workspace: Workspace) -> list[dict]:
    return [{"name": u.name, "file": u.filename, "rows": u.rows} for u in workspace.uploads()]


def entities(result, group: str | None, query: str) -> dict:
    """The paying entities (of one group, matching `query` in id or name), largest amount first."""
    totals: dict[tuple[str, str], int] = {}
    names: dict[str, str] = {}
    for a in result.allocations:
        if group and a.group != group:
            continue
        totals[(a.entity, a.group)] = totals.get((a.entity, a.group), 0) + a.amount_ore
        names[a.entity] = names.get(a.entity) or a.name
    needle = query.strip().casefold()
    rows = [(entity, grp, ore) for (entity, grp), ore in totals.items()
            if not needle or needle in entity.casefold() or needle in (names[entity] or "").casefold()]
    rows.sort(key=lambda r: (-r[2], r[0]))
    groups = result.graph.groups
    return {"count": len(rows), "entities": [
        {"id": entity, "name": names[entity], "group": groups[grp].title, "amount": kroner2(ore)}
        for entity, grp, ore in rows[:MAX_ENTITIES]]}


def explanation(result, entity: str) -> dict:
    """Why `entity` pays what it pays: the `explain` command's text and its JSON."""
    e = explain(result, entity)
    return {"entity": entity, "name": e.name, "total": kroner2(e.total_ore), "text": explanation_text(e, result, "nb"),
            "explanation": explanation_dict(e)}


def download(result, fmt: str) -> bytes:
    """The report in one of `DOWNLOADS`' formats."""
    if fmt == "regulation":
        return regulation_text(result).encode("utf-8")
    body = render(result, fmt, lang="nb")
    return body if isinstance(body, bytes) else body.encode("utf-8")

