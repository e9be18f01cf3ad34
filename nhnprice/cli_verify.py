"""`nhnprice verify`: the exact bounds of a spec, and a search for data that makes it break its promises."""

from __future__ import annotations

import random
import sys
from fractions import Fraction

import click

# imported by nhnprice.cli, after the shared options are defined, to register the command
from nhnprice.cli import EXIT_ERRORS, data_option, diagnostics_option, emit, write_output


def junit_xml(spec: str, report) -> str:
    """One JUnit test case per invariant, for CI dashboards."""
    from xml.etree import ElementTree as ET

    from nhnprice.report.verify_report import bound_lines, failed_by_bound
    from nhnprice.verify import INVARIANTS

    suite = ET.Element("testsuite", name=f"nhnprice verify {spec}", tests=str(len(INVARIANTS)),
                       failures=str(report.broken_count), errors="0", skipped="0")
    properties = ET.SubElement(suite, "properties")
    for name, value in (("seed", report.seed), ("examples", report.examples),
                        ("refusals", sum(report.refusals.values()))):
        ET.SubElement(properties, "property", name=name, value=str(value))
    for name in INVARIANTS:
        case = ET.SubElement(suite, "testcase", classname="nhnprice.verify", name=name)
        failure = report.failures.get(name)
        derived = failed_by_bound(report, name)
        if failure is not None:
            node = ET.SubElement(case, "failure", message=failure.violations[0].message,
                                 type="counterexample")
            node.text = "\n".join(_counterexample_lines(failure) + failed_by_bound(report, name, searched=False))
        elif derived:
            node = ET.SubElement(case, "failure", message=derived[1].strip(), type="bound")
            node.text = "\n".join(derived)
        else:
            how = "proved, " if report.proved(name) else ""
            ET.SubElement(case, "system-out").text = f"{how}held on {report.checked.get(name, 0)} data sets"
    ET.SubElement(suite, "system-out").text = "\n".join(bound_lines(report))
    ET.indent(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"


def _counterexample_lines(failure) -> list[str]:
    lines = [f"  {v.message}" for v in failure.violations[:5]]
    if len(failure.violations) > 5:
        lines.append(f"  … and {len(failure.violations) - 5} more")
    lines.append("  with the data:")
    lines += [f"    {line}" for line in failure.data]
    return lines


def _summary(spec: str, report, examples: int) -> list[str]:
    from nhnprice.report.verify_report import bound_lines, failed_by_bound, invariant_line, verdict
    from nhnprice.verify import INVARIANTS

    lines = bound_lines(report)
    for name in INVARIANTS:
        failure = report.failures.get(name)
        if failure is None:
            lines += failed_by_bound(report, name) or [invariant_line(report, name)]
        else:
            lines.append(f"  FAILED  {name}: counterexample (shrunk):")
            lines += ["  " + line for line in _counterexample_lines(failure)]
    refused = sum(report.refusals.values())
    if refused:
        lines.append(f"  refused {refused} data set{'s' * (refused != 1)} with the spec's own errors "
                     "(not failures):")
        for code, count in sorted(report.refusals.items()):
            lines.append(f"    {code} ×{count}: {report.refusal_messages[code]}")
    lines.append(verdict(spec, report, INVARIANTS))
    return lines


def _declared_data_fails(spec: str, graph, tables) -> None:
    """The spec's bounds when its declared data already fails `check`: where it would hold."""
    from nhnprice.report.verify_report import bound_lines
    from nhnprice.verify import derived_bounds

    try:
        lines = bound_lines(derived_bounds(graph, tables))
    except Exception:  # the errors above are what matters; a bound that cannot be derived adds nothing
        lines = []
    click.echo("\n".join(lines + [f"{spec}: the declared data does not pass `nhnprice check` (above): not searched"]))


def _keep_hypothesis_files_out_of_the_working_directory() -> None:
    """hypothesis caches what it learns in `.hypothesis/`; a user's folder is no place for that."""
    import os
    import tempfile

    from nhnprice.cache import directory

    base = directory() or os.path.join(tempfile.gettempdir(), "nhnprice")
    os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(base, "hypothesis"))


@click.command("verify")
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--examples", type=click.IntRange(1, 100_000), default=100, show_default=True,  # verify.DEFAULT_EXAMPLES
              help="How many data sets to generate (before shrinking a counterexample).")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=None,
              help="Seed of the search; the same seed repeats the same run. Default: a random seed, printed.")
@click.option("--growth", type=click.IntRange(0, 1000), default=50, show_default=True, metavar="PERCENT",
              help="How far the search lets registers of members grow beyond the declared data (members "
                   "joining); they also shrink to none. The exact bounds cover any number of members.")
@click.option("--junit", type=click.Path(dir_okay=False, writable=True), default=None, metavar="FILE",
              help="Also write a JUnit XML report, one test case per invariant, for CI.")
@click.option("--json", "json_file", type=click.Path(dir_okay=False, writable=True), default=None, metavar="FILE",
              help="Also write the bounds and each invariant's verdict as JSON (`-`: standard output).")
@data_option
@diagnostics_option
def verify(spec: str, examples: int, seed: int | None, growth: int, junit: str | None, json_file: str | None,
           data: dict[str, str], diagnostics_format: str) -> None:
    """Find the data on which SPEC breaks its promises: exact bounds, then a search.

    SPEC is compiled and checked with its declared data as `nhnprice check`
    does (a spec check rejects is not verified). Then the bounds that follow
    from the spec are computed exactly: from how many members a fixed fee
    collects more than its share, for which counts and parameters computed
    shares leave 0-100 %, at which price adjustments a carry-over exceeds its
    cost. Then data sets consistent with its declarations are generated: keys
    with zero weights, decimal weights and extreme ratios, registers from empty
    to --growth beyond the declared size (`among` registers are any subset of
    their key, from none to all), price adjustments from 0 to 20 %, other
    percents from 0 to 100 %, amounts and counts from zero to twice their
    default. On each, these invariants are checked:

    \b
      no-over-collection  no pool's groups get more than its cost; no flat-fee
                          group collects more than its share plus its margin
      shares-balance      a pool's shares, also computed ones, add up to 100 %
      conservation        every split sums exactly to what it splits
      non-negative        no amount below zero
      within-quota        every part within one rounding unit of its exact quota
      expectations        every `expect` of the spec holds

    A broken invariant is shrunk to a small counterexample, printed with the
    data, the pool and the figures; a bound that breaks one is printed with the
    first value that breaks it. A fee that declares `excess carried over` has
    its bound reported as information. Data the spec cannot handle (e.g. no
    adopters for an `among` share) is refused with the spec's own error and
    counted, not failed. docs/verification.md explains each invariant.

    \b
    Examples:
      nhnprice verify specs/2024.nhp
      nhnprice verify specs/2024.nhp --examples 1000 --seed 7 --junit verify.xml --json verify.json
      nhnprice verify specs/2024.nhp --growth 200     # let registers triple in the search

    Exit status: 0 every invariant held, 1 a bound or a counterexample broke
    one, or the spec or its declared data has errors, 2 wrong usage.
    """
    from nhnprice.diagnostics import has_errors
    from nhnprice.pipeline import compile_file, evaluate_graph, load_data
    from nhnprice.verify import verify as search

    graph, diagnostics = compile_file(spec)
    if graph is not None:
        tables, found = load_data(graph, data)
        diagnostics += found
        if not has_errors(diagnostics):  # what `check` says of the declared data comes first
            diagnostics += evaluate_graph(graph, tables)[1]
    emit(diagnostics, diagnostics_format)
    if graph is None or has_errors(diagnostics):
        if graph is not None and all(name in tables for name in graph.datasets):
            _declared_data_fails(spec, graph, tables)
        sys.exit(EXIT_ERRORS)
    if seed is None:
        seed = random.SystemRandom().randrange(2**32)
    _keep_hypothesis_files_out_of_the_working_directory()
    try:
        report = search(graph, tables, examples=examples, seed=seed, growth=Fraction(growth, 100))
    except Exception as exc:  # a bug in nhnprice, not in the spec: say so, without a traceback
        click.echo(f"internal error while verifying {spec} (seed {seed}): {type(exc).__name__}: {exc}\n"
                   "please report it with the spec and this seed", err=True)
        sys.exit(EXIT_ERRORS)
    click.echo("\n".join(_summary(spec, report, examples)))
    if junit is not None:
        write_output(junit_xml(spec, report), junit)
    if json_file is not None:
        from nhnprice.report.verify_report import json_report
        from nhnprice.verify import INVARIANTS

        write_output(json_report(spec, report, INVARIANTS), json_file)
    if not report.ok:
        sys.exit(EXIT_ERRORS)

