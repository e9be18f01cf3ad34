"""`nhnprice sweep` and `nhnprice invoices`: what-if runs and what each member is invoiced when.

A sweep compiles the spec and loads its data once, then evaluates the graph
once per value of the swept parameter (`pipeline.evaluate_graph` reads no text).
"""

from __future__ import annotations

import sys

import click

from nhnprice.cli import (EXIT_ERRORS, data_option, diagnostics_option, emit, output_option, scenario_option,
                          scenario_settings, set_option, write_output)
from nhnprice.diagnostics import error, has_errors
from nhnprice.progress import Progress


def _prepare(spec: str, data: dict[str, str], settings: dict[str, str], scenario: str | None, sweep: bool = False):
    """Compile, load and read the overrides; with `sweep`, the one or two ranges or lists are swept."""
    from nhnprice.params import read_overrides
    from nhnprice.pipeline import compile_file, load_data

    settings, diagnostics = scenario_settings(scenario, settings)
    if diagnostics:
        return None, None, None, None, diagnostics
    graph, found = compile_file(spec)
    diagnostics += found
    if graph is None:
        return None, None, None, None, diagnostics
    swept = None
    if sweep:
        from nhnprice import sweep as sweeps

        swept, settings, found = sweeps.axes(graph, settings)
        diagnostics += found
        if not swept:
            return None, None, None, None, diagnostics
    params, found = read_overrides(graph, settings)
    diagnostics += found
    tables, found = load_data(graph, data)
    diagnostics += found
    if has_errors(diagnostics):
        return None, None, None, None, diagnostics
    return graph, tables, params, swept, diagnostics


@click.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="table for reading; csv or json (one row per value) for further work.")
@output_option()
@data_option
@set_option
@scenario_option
@diagnostics_option
def sweep(spec: str, fmt: str, output: str | None, data: dict[str, str], settings: dict[str, str],
          scenario: str | None, diagnostics_format: str) -> None:
    """Show how the fees and each group's total move as one or two parameters move.

    One --set gives a range FROM..TO:STEP (both ends included, in the
    parameter's kind: a count, a percent or an amount) or a list "A;B;C";
    two such --set sweep every combination of their values (a grid).
    Further --set and --scenario fix other parameters for every run. Each
    row is a full, exact evaluation; the spec's expectations are not checked
    here (use `check`).

    \b
    Examples:
      nhnprice sweep specs/examples/2027-individuelt-medlemskap.nhp --set medlemmer=5000..30000:5000
      nhnprice sweep specs/2024.nhp --set "prisjustering=0%;2,5%;4%"
      nhnprice sweep specs/examples/2027-individuelt-medlemskap.nhp --set "medlemmer=6687;15000" --set prisjustering=0%..4%:2%
    """
    from nhnprice import sweep as sweeps
    from nhnprice.evaluate import evaluate
    from nhnprice.params import format_value

    graph, tables, params, swept, diagnostics = _prepare(spec, data, settings, scenario, sweep=True)
    if graph is None:
        emit(diagnostics, diagnostics_format)
        sys.exit(EXIT_ERRORS)
    names = [name for name, _ in swept]
    fee_groups = [g for g in graph.groups.values() if g.pays_fee]
    rows, problems = [], []
    progress = Progress()
    grid = sweeps.points(swept)
    for i, point in enumerate(grid, start=1):
        progress(", ".join(f"{n} = {format_value(graph.parameters[n].kind, v)}" for n, v in point.items()), i, len(grid))
        result, found = evaluate(graph, tables, {**params, **point}, entities=False)
        problems += found
        rows.append(sweeps.row(graph, point, result))
    progress.close()
    emit(_unique(diagnostics + problems), diagnostics_format)
    write_output(_render_sweep(graph, names, rows, fee_groups, fmt), output)
    if has_errors(problems):
        sys.exit(EXIT_ERRORS)


def _unique(diagnostics):
    seen, out = set(), []
    for d in diagnostics:
        if (d.code, d.message) not in seen:
            seen.add((d.code, d.message))
            out.append(d)
    return out


def _render_sweep(graph, names: list[str], rows: list[dict], fee_groups, fmt: str) -> str:
    from nhnprice.money import kroner, mill

    first = (["value"] if len(names) == 1 else []) + names
    columns = first + [c for c in rows[0] if c not in first and c != "ok"] if rows else first
    if fmt == "json":
        import json

        return json.dumps({"format": "nhnprice.sweep/1", "spec": graph.file, "parameter": names[0],
                           "parameters": names, "solved": [g.id for g in fee_groups if g.fee_solve], "rows": rows},
                          ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        import csv
        import io

        out = io.StringIO()
        writer = csv.DictWriter(out, first + ["ok"] + columns[len(first):], lineterminator="\n", restval="")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()
    header = list(names)
    for g in fee_groups:
        header += [f"{g.id}: fee kr/month" + (" (solved)" if g.fee_solve else ""), "members",
                   "collected kr", "deviation kr"]
    header += [f"{g} mill." for g in graph.groups]
    body = []
    for row in rows:
        if not row["ok"]:
            body.append([row[n] for n in names] + ["error: see above"])
            continue
        cells = [row[n] for n in names]
        for g in fee_groups:
            cells += [kroner(row[f"{g.id}.fee_ore_per_month"], ",", " "), kroner(row[f"{g.id}.members"] * 100, ",", " "),
                      kroner(row[f"{g.id}.collected_ore"], ",", " "), kroner(row[f"{g.id}.deviation_ore"], ",", " ")]
        cells += [mill(row[f"{g}.amount_ore"]) for g in graph.groups]
        body.append(cells)
    widths = [max(len(r[i]) for r in [header] + body if i < len(r)) for i in range(len(header))]
    lines = [graph.title, f"sweep over {' × '.join(names)}", ""]
    for r in [header] + body:
        lines.append("  ".join(c.rjust(w) if i >= len(names) else c.ljust(w)
                               for i, (c, w) in enumerate(zip(r, widths))).rstrip())
    return "\n".join(lines) + "\n"


#: invoicing in advance: each quarter is invoiced on its first day
QUARTERS = (("Q1", "01-01"), ("Q2", "04-01"), ("Q3", "07-01"), ("Q4", "10-01"))


@click.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--group", "groups", multiple=True, metavar="GROUP",
              help="Only this payer group's members (repeatable); default every group.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="table for reading; csv or json for invoicing systems.")
@output_option()
@data_option
@set_option
@scenario_option
@diagnostics_option
def invoices(spec: str, groups: tuple[str, ...], fmt: str, output: str | None, data: dict[str, str],
             settings: dict[str, str], scenario: str | None, diagnostics_format: str) -> None:
    """Each member's invoice schedule: the year's amount invoiced quarterly in advance.

    A member's year (the sum over every pool and carry-over) is split into
    four quarterly invoices due on 1 January, 1 April, 1 July and 1 October,
    exactly to the øre (largest remainder: the earlier quarters take the odd
    øre). A flat-fee member pays three months' fee each quarter.

    \b
    Example:
      nhnprice invoices specs/2024.nhp --group ovrige --format csv -o ovrige.csv
    """
    from nhnprice.invoices import schedule
    from nhnprice.pipeline import evaluate_graph

    graph, tables, params, _, diagnostics = _prepare(spec, data, settings, scenario)
    if graph is not None:
        unknown = [g for g in groups if g not in graph.groups]
        for g in unknown:
            from nhnprice.diagnostics import did_you_mean

            diagnostics.append(error("U008", f"--group {g}: the spec declares no payer group `{g}`",
                                     hint=did_you_mean(g, graph.groups) or "groups: " + ", ".join(graph.groups)))
    if graph is None or has_errors(diagnostics):
        emit(diagnostics, diagnostics_format)
        sys.exit(EXIT_ERRORS)
    result, found = evaluate_graph(graph, tables, params)
    diagnostics += found
    emit(diagnostics, diagnostics_format)
    if result is None:
        sys.exit(EXIT_ERRORS)
    lines = schedule(result, set(groups) or None)
    write_output(_render_invoices(result, lines, fmt), output)


def _render_invoices(result, lines, fmt: str) -> str:
    from nhnprice.invoices import adjusted_fees, adjustment_lines
    from nhnprice.money import kroner

    year = result.graph.year
    if fmt == "json":
        import json

        return json.dumps({"format": "nhnprice.invoices/1", "spec": result.graph.file, "year": year,
                           "price_adjustment": adjusted_fees(result),
                           "invoices": [{"group": m.group, "entity": m.entity, "name": m.name,
                                         "year_ore": m.year_ore,
                                         "quarters": [{"quarter": q, "due": f"{year}-{d}", "amount_ore": a}
                                                      for (q, d), a in zip(QUARTERS, m.quarters_ore)]}
                                        for m in lines]}, ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["group", "entity", "name", "quarter", "due", "amount_ore"])
        for m in lines:
            for (q, d), a in zip(QUARTERS, m.quarters_ore):
                writer.writerow([m.group, m.entity, m.name, q, f"{year}-{d}", a])
        return out.getvalue()
    header = ["group", "entity", "name", "year kr"] + [f"{q} {year}-{d}" for q, d in QUARTERS]
    body = [[m.group, m.entity, m.name, kroner(m.year_ore, ",", " ")] + [kroner(a, ",", " ") for a in m.quarters_ore]
            for m in lines]
    widths = [max(len(r[i]) for r in [header] + body) for i in range(len(header))]
    out = [f"{result.graph.title}: invoiced quarterly in advance"] + adjustment_lines(result) + [""]
    for r in [header] + body:
        out.append("  ".join(c.ljust(w) if i < 3 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip())
    return "\n".join(out) + "\n"
