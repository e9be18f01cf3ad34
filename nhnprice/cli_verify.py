"""`nhnprice verify`: search for data that makes a spec break its promises."""

from __future__ import annotations

import random
import sys
from fractions import Fraction

import click

# imported by nhnprice.cli, after the shared options are defined, to register the command
from nhnprice.cli import EXIT_ERRORS, data_access, data_option, diagnostics_option, emit, write_output


def junit_xml(spec: str, report) -> str:
    """One JUnit test case per invariant, for CI dashboards."""
    from xml.etree import ElementTree as ET

    from nhnprice.verify import INVARIANTS

    suite = ET.Element("testsuite", name=f"nhnprice verify {spec}", tests=str(len(INVARIANTS)),
                       failures=str(len(report.failures)), errors="0", skipped="0")
    properties = ET.SubElement(suite, "properties")
    for name, value in (("seed", report.seed), ("examples", report.examples),
                        ("refusals", sum(report.refusals.values()))):
        ET.SubElement(properties, "property", name=name, value=str(value))
    for name in INVARIANTS:
        case = ET.SubElement(suite, "testcase", classname="nhnprice.verify", name=name)
        failure = report.failures.get(name)
        if failure is not None:
            node = ET.SubElement(case, "failure", message=failure.violations[0].message,
                                 type="counterexample")
            node.text = "\n".join(_counterexample_lines(failure))
        else:
            ET.SubElement(case, "system-out").text = f"held on {report.checked.get(name, 0)} data sets"
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
    from nhnprice.verify import INVARIANTS

    lines = []
    for name in INVARIANTS:
        failure = report.failures.get(name)
        if failure is None:
            lines.append(f"  ok      {name} (held on {report.checked.get(name, 0)} data sets)")
        else:
            lines.append(f"  FAILED  {name}: counterexample (shrunk):")
            lines += ["  " + line for line in _counterexample_lines(failure)]
    refused = sum(report.refusals.values())
    if refused:
        lines.append(f"  refused {refused} data set{'s' * (refused != 1)} with the spec's own errors "
                     "(not failures):")
        for code, count in sorted(report.refusals.items()):
            lines.append(f"    {code} ×{count}: {report.refusal_messages[code]}")
    verdict = "ok" if report.ok else f"{len(report.failures)} of {len(INVARIANTS)} invariants broken"
    lines.append(f"{spec}: {verdict}: {report.examples} data sets, seed {report.seed} "
                 f"(`--seed {report.seed}` repeats this run)")
    return lines


def _keep_hypothesis_files_out_of_the_working_directory() -> None:
    """hypothesis caches what it learns in `.hypothesis/`; a user's folder is no place for that."""
    import os
    import tempfile

    from nhnprice.cache import directory

    base = directory() or os.path.join(tempfile.gettempdir(), "nhnprice")
    os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(base, "hypothesis"))


@click.command("verify")
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--examples", type=click.IntRange(1, 100_000), default=200, show_default=True,
              help="How many data sets to generate (before shrinking a counterexample).")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=None,
              help="Seed of the search; the same seed repeats the same run. Default: a random seed, printed.")
@click.option("--growth", type=click.IntRange(0, 1000), default=0, show_default=True, metavar="PERCENT",
              help="Let registers of flat-fee members grow up to PERCENT beyond the declared data "
                   "(new members joining). By default they range from empty to the declared size.")
@click.option("--junit", type=click.Path(dir_okay=False, writable=True), default=None, metavar="FILE",
              help="Also write a JUnit XML report, one test case per invariant, for CI.")
@data_option
@diagnostics_option
def verify(spec: str, examples: int, seed: int | None, growth: int, junit: str | None, data: dict[str, str],
           diagnostics_format: str) -> None:
    """Search for data on which SPEC breaks its promises.

    SPEC is compiled once; then data sets consistent with its declarations are
    generated: keys with zero weights, decimal weights and extreme ratios,
    registers from empty to the declared size (`among` registers are any subset
    of their key, from none to all), price adjustments from 0 to 20 %, other percents from 0 to 100 %,
    amounts and counts from zero to twice their default. On each, these
    invariants are checked:

    \b
      no-over-collection  no pool's groups get more than its cost; no flat-fee
                          group collects more than its share plus its margin
      shares-balance      a pool's shares, also computed ones, add up to 100 %
      conservation        every split sums exactly to what it splits
      non-negative        no amount below zero
      within-quota        every part within one rounding unit of its exact quota
      expectations        every `expect` of the spec holds

    A broken invariant is shrunk to a small counterexample, printed with the
    data, the pool and the figures. Data the spec cannot handle (e.g. no
    adopters for an `among` share) is refused with the spec's own error and
    counted, not failed. docs/verification.md explains each invariant.

    \b
    Examples:
      nhnprice verify specs/2024.nhp
      nhnprice verify specs/2024.nhp --examples 1000 --seed 7 --junit verify.xml
      nhnprice verify specs/2024.nhp --growth 10      # what if 10 % more members join?

    Exit status: 0 every invariant held, 1 a counterexample was found or the
    spec has errors, 2 wrong usage.
    """
    from nhnprice.diagnostics import has_errors
    from nhnprice.pipeline import compile_file, load_data
    from nhnprice.verify import verify as search

    graph, diagnostics = compile_file(spec)
    if graph is not None:
        tables, found = load_data(graph, data, access=data_access())
        diagnostics += found
    emit(diagnostics, diagnostics_format)
    if graph is None or has_errors(diagnostics):
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
    if not report.ok:
        sys.exit(EXIT_ERRORS)

