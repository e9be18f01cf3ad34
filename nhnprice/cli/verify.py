"""`nhnprice verify`: the exact bounds of a spec, and a search for data that makes it break its promises."""

from __future__ import annotations

import random
import sys
from fractions import Fraction

import click

# imported by nhnprice.cli, after the shared options are defined, to register the command
from nhnprice.cache import directory
from nhnprice.cli import EXIT_ERRORS, data_access, data_option, diagnostics_option, emit, end, write_output
from nhnprice.report.verify_report import declared_data_fails_lines, json_report, junit_xml, summary_lines
from nhnprice.verify import verify_file


def _keep_hypothesis_files_out_of_the_working_directory() -> None:
    """hypothesis caches what it learns in `.hypothesis/`; a user's folder is no place for that."""
    import os
    import tempfile

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
    if seed is None:
        seed = random.SystemRandom().randrange(2**32)
    _keep_hypothesis_files_out_of_the_working_directory()
    try:
        report, diagnostics = verify_file(spec, data, examples=examples, seed=seed, growth=Fraction(growth, 100),
                                          access=data_access())
    except Exception as exc:  # a bug in nhnprice, not in the spec: say so, without a traceback
        click.echo(f"internal error while verifying {spec} (seed {seed}): {type(exc).__name__}: {exc}\n"
                   "please report it with the spec and this seed", err=True)
        sys.exit(EXIT_ERRORS)
    status = emit(diagnostics, diagnostics_format)
    if report is not None and not report.searched:  # the declared data fails `check`: its bounds, no search
        click.echo("\n".join(declared_data_fails_lines(spec, report)))
    end(status, failed=report is None or not report.searched)
    click.echo("\n".join(summary_lines(spec, report, examples)))
    if junit is not None:
        write_output(junit_xml(spec, report), junit)
    if json_file is not None:
        write_output(json_report(spec, report), json_file)
    if json_file is not None:
        write_output(json_report(spec, report), json_file)
    if not report.ok:
        sys.exit(EXIT_ERRORS)
