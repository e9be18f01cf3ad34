"""`nhnprice sweep` and `nhnprice invoices`: what-if runs and what each member is invoiced when.

A sweep compiles the spec and loads its data once, then evaluates the graph
once per value of the swept parameter (`pipeline.sweep_rows`).
"""

from __future__ import annotations

import sys

import click

from nhnprice.cli import (EXIT_ERRORS, data_access, data_option, diagnostics_option, emit, end, lang_option,
                          output_option, scenario_option, set_option, write_output)
from nhnprice.diagnostics import has_errors, unique
from nhnprice.pipeline import invoice_schedule, prepare, sweep_rows
from nhnprice.progress import Progress
from nhnprice.report import invoices_report, sweep_report
from nhnprice.report.invoices_report import empty_reason, render_invoices
from nhnprice.report.sweep_report import render_sweep


@click.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(sweep_report.FORMATS), default="table", show_default=True,
              help="table for reading; csv or json (one row per value) for further work.")
@output_option()
@data_option
@set_option
@scenario_option
@lang_option
@diagnostics_option
def sweep(spec: str, fmt: str, output: str | None, data: dict[str, str], settings: dict[str, str],
          scenario: str | None, lang: str, diagnostics_format: str) -> None:
    """Show how the fees and each group's total move as one or two parameters move.

    One --set gives a range FROM..TO:STEP (both ends included, in the
    parameter's kind: a count, a percent or an amount) or a list "A;B;C";
    two such --set sweep every combination of their values (a grid).
    Further --set and --scenario fix other parameters for every run. Each
    row is a full, exact evaluation; the spec's expectations are not checked
    here (use `check`).

    \b
    Examples:
      nhnprice sweep specs/examples/2027-individuelt-medlemskap.nhp --allow-data-dir specs/data --set medlemmer=5000..30000:5000
      nhnprice sweep specs/2024.nhp --set "prisjustering=0%;2,5%;4%"
      nhnprice sweep specs/examples/2027-individuelt-medlemskap.nhp --allow-data-dir specs/data --set "medlemmer=6687;15000" --set prisjustering=0%..4%:2%
    """
    graph, tables, params, swept, diagnostics = prepare(spec, data, settings, scenario, sweep=True, access=data_access())
    if graph is None:
        end(emit(diagnostics, diagnostics_format), failed=True)
    with Progress() as progress:
        rows, problems = sweep_rows(graph, tables, params, swept, progress)
    end(emit(unique(diagnostics + problems), diagnostics_format), failed=False)
    write_output(render_sweep(graph, [name for name, _ in swept], rows, fmt, lang), output)
    if has_errors(problems):
        sys.exit(EXIT_ERRORS)


@click.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--group", "groups", multiple=True, metavar="GROUP",
              help="Only this payer group's members (repeatable); default every group.")
@click.option("--format", "fmt", type=click.Choice(invoices_report.FORMATS), default="table", show_default=True,
              help="table for reading; csv or json for invoicing systems.")
@output_option()
@data_option
@set_option
@scenario_option
@lang_option
@diagnostics_option
def invoices(spec: str, groups: tuple[str, ...], fmt: str, output: str | None, data: dict[str, str],
             settings: dict[str, str], scenario: str | None, lang: str, diagnostics_format: str) -> None:
    """Each member's invoice schedule: the year's amount invoiced quarterly in advance.

    A member's year (the sum over every pool and carry-over) is split into
    four quarterly invoices due on 1 January, 1 April, 1 July and 1 October,
    exactly to the øre (largest remainder: the earlier quarters take the odd
    øre). A flat-fee member pays three months' fee each quarter.

    \b
    Example:
      nhnprice invoices specs/2024.nhp --group ovrige --format csv -o ovrige.csv
    """
    result, lines, diagnostics = invoice_schedule(spec, data, settings, scenario, groups, data_access())
    end(emit(diagnostics, diagnostics_format), failed=result is None)
    reason = None if lines else empty_reason(groups, lang)
    if reason and fmt != "table":  # why there is nothing, without changing what a CSV or JSON is
        click.echo(reason, err=True)
    write_output(render_invoices(result, lines, fmt, lang, reason), output)
