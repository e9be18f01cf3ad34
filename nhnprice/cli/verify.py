"""`nhnprice verify`: search for data that makes a spec break its promises."""

from __future__ import annotations

import random
import sys
from fractions import Fraction

import click

# imported by nhnprice.cli, after the shared options are defined, to register the command
from nhnprice.cache import directory
from nhnprice.cli import EXIT_ERRORS, data_access, data_option, diagnostics_option, emit, end, write_output
from nhnprice.report.verify_report import junit_xml, summary_lines
from nhnprice.verify import verify_file


def _keep_hypothesis_files_out_of_the_working_directory() -> None:
    """hypothesis caches what it learns in `.hypothesis/`; a user's folder is no place for that."""
    import os
    import tempfile

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
    end(emit(diagnostics, diagnostics_format), failed=report is None)
    click.echo("\n".join(summary_lines(spec, report, examples)))
    if junit is not None:
        write_output(junit_xml(spec, report), junit)
    if not report.ok:
        sys.exit(EXIT_ERRORS)
