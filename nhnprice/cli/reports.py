"""The commands that read an evaluated spec for people: `explain`, `diff` and `regulation`.

Each evaluates its spec(s) as `report` does and hands the result to a library
function (`nhnprice.explain`, `nhnprice.diff`) and a renderer in `nhnprice.report`; this
module only parses options and prints.
"""

from __future__ import annotations

import click

from nhnprice.cli import (data_access, data_option, diagnostics_option, emit, end, lang_option, output_option,
                          parse_data_overrides, parse_set_overrides, resolve_entity_option, scenario_option,
                          set_option, write_output)
from nhnprice.diagnostics import did_you_mean, has_errors
from nhnprice.diff import diff as diff_results
from nhnprice.evaluate import CARRY_OVER
from nhnprice.explain import explain as explain_entity
from nhnprice.pipeline import run_scenario
from nhnprice.progress import Progress
from nhnprice.report import diff_report, explain_json, explain_text
from nhnprice.report.regulation_text import regulation_text

EXPECTATION_FAILED = "X001"
EXIT_CHANGED = 3  # `diff --exit-code`: something payable changed (1 and 2 keep their meaning)


def evaluate_spec(spec: str, data: dict[str, str], diagnostics_format: str, settings: dict[str, str] | None = None,
                  scenario: str | None = None):
    """Evaluate SPEC (with --set and --scenario); exit 1 on errors. Expectations that fail are
    noted, not fatal: these commands also read scenarios, whose figures may differ from the spec's."""
    with Progress() as progress:
        result, diagnostics = run_scenario(spec, data, settings, scenario, progress, data_access())
    failed = [d for d in diagnostics if d.code == EXPECTATION_FAILED]
    shown = [d for d in diagnostics if d.code != EXPECTATION_FAILED]
    end(emit(shown, diagnostics_format), failed=result is None or has_errors(shown))
    if failed:
        click.echo(f"note: {len(failed)} expectation{'s' * (len(failed) != 1)} of {spec} do not hold "
                   f"for these figures (`nhnprice check {spec}` lists them)", err=True)
    return result


@click.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.argument("entity")
@click.option("--pool", metavar="POOL", default=None,
              help="Only the lines of this pool (its name in the spec; `carry-over` for a group's carry-over).")
@click.option("--format", "fmt", type=click.Choice(explain_text.FORMATS), default="text", show_default=True,
              help="text: in plain words; html: the same as one self-contained page; json: every figure, "
                   "exact (format nhnprice.explain/1).")
@lang_option
@output_option()
@data_option
@set_option
@scenario_option
@diagnostics_option
def explain(spec: str, entity: str, pool: str | None, fmt: str, lang: str, output: str | None,
            data: dict[str, str], settings: dict[str, str], scenario: str | None, diagnostics_format: str) -> None:
    """Why ENTITY pays what it pays under SPEC, line by line.

    ENTITY is a kommunenummer (0301), an organisation number, or a unique
    name (Oslo). For every amount it pays: the pool and its cost, the
    group's share and its rounding to the regulation's unit, each share on
    the way with its line in the spec and § reference, the key weight and
    the key total, the exact quota in øre, the rounding adjustment, and the
    data it rests on with its provenance.

    \b
    Examples:
      nhnprice explain specs/2024.nhp 0301
      nhnprice explain specs/2024.nhp Oslo --pool vkp
      nhnprice explain specs/2024.nhp 991324968 --format json
      nhnprice explain specs/2024.nhp 0301 --set prisjustering=4%
    """
    result = evaluate_spec(spec, data, diagnostics_format, settings, scenario)
    ident = resolve_entity_option(result, entity, "ENTITY")
    pools = [p.id for p in result.graph.pools] + ([CARRY_OVER] if result.carry_overs else [])
    if pool is not None and pool not in pools:
        raise click.BadParameter(f"no pool `{pool}`; " + (did_you_mean(pool, pools) or "pools: " + ", ".join(pools)),
                                 param_hint="--pool")
    if pool is not None and not any(a.entity == ident and a.pool == pool for a in result.allocations) and \
            not any(ident in b.entities and b.pool == pool for b in result.within):
        raise click.BadParameter(f"`{ident}` pays nothing in `{pool}`", param_hint="--pool")
    explanation = explain_entity(result, ident, pool)
    if fmt == "json":
        text = explain_json.render(explanation)
    elif fmt == "html":
        text = explain_text.render_html(explanation, result, lang)
    else:
        text = explain_text.render(explanation, result, lang)
    write_output(text, output)


@click.command()
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option("--entities", is_flag=True, help="Also compare what every entity pays in all (can be many rows).")
@click.option("--exit-code", "exit_code", is_flag=True,
              help=f"Exit {EXIT_CHANGED} when anything payable changed, 0 when nothing did (for CI).")
@click.option("--all", "all_rows", is_flag=True, help="Show unchanged rows too (table and markdown).")
@click.option("--format", "fmt", type=click.Choice(diff_report.FORMATS), default="table",
              show_default=True, help="How to show the changes (html: one self-contained page; json: format "
                                      "nhnprice.diff/1; csv: a machine CSV).")
@lang_option
@output_option()
@data_option
@click.option("--data-new", "data_new", multiple=True, metavar="NAME=PATH", callback=parse_data_overrides,
              help="Like --data, for NEW only: compare a spec with itself on other data.")
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE", callback=parse_set_overrides,
              help="Override a parameter of NEW (repeatable): the scenario to compare OLD with, e.g. "
                   "prisjustering=4%. OLD is evaluated as written, unless --set-old says otherwise.")
@click.option("--set-old", "settings_old", multiple=True, metavar="NAME=VALUE", callback=parse_set_overrides,
              help="Override a parameter of OLD (repeatable).")
@click.option("--scenario", type=click.Path(dir_okay=False), default=None,
              help="A scenario file (TOML) for NEW; --set wins over it.")
@diagnostics_option
def diff(old: str, new: str, entities: bool, exit_code: bool, all_rows: bool, fmt: str, lang: str, output: str | None,
         data: dict[str, str], data_new: dict[str, str], settings: dict[str, str], settings_old: dict[str, str],
         scenario: str | None, diagnostics_format: str) -> None:
    """What changes from OLD to NEW: per payer group, pool, pool and group (and entity).

    OLD and NEW are two specs, typically two years, or one spec and a
    scenario of it: other parameters (--set, --scenario) or other data
    (--data-new). Each row shows old, new, the change
    in NOK and in percent; largest movers first, unchanged rows left out
    (--all shows them). Fees per member, member counts, carry-overs and
    unallocated rounding are compared too. Exit status 0 whether or not
    anything changed; with --exit-code, 3 when anything payable changed.

    \b
    Examples:
      nhnprice diff specs/2024.nhp specs/examples/2025-differensiert-ovrige.nhp
      nhnprice diff specs/2024.nhp specs/2024.nhp --set prisjustering=4% --entities
      nhnprice diff specs/2024.nhp specs/2024.nhp --data-new kommunehelse=real.csv --entities
      nhnprice diff specs/2024.nhp specs/2024.nhp --scenario specs/scenarios/kpi-4.toml --format csv -o endringer.csv
    """
    before = evaluate_spec(old, data, diagnostics_format, settings_old)
    after = evaluate_spec(new, {**data, **data_new}, diagnostics_format, settings, scenario)
    changes = diff_results(before, after, entities, _name(old, settings_old, None, {}),
                           _name(new, settings, scenario, data_new))
    write_output(diff_report.render(changes, fmt, lang, all_rows), output)
    end(EXIT_CHANGED, exit_code and not changes.identical)


def _name(spec: str, settings: dict[str, str], scenario: str | None, data: dict[str, str]) -> str:
    """What was evaluated: `specs/2024.nhp (prisjustering=4%)`."""
    what = ([f"--scenario {scenario}"] if scenario else []) + [f"{k}={v}" for k, v in settings.items()] + \
        [f"{k}={v}" for k, v in data.items()]
    return spec + (f" ({', '.join(what)})" if what else "")


@click.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@output_option()
@data_option
@set_option
@scenario_option
@diagnostics_option
def regulation(spec: str, output: str | None, data: dict[str, str], settings: dict[str, str], scenario: str | None,
               diagnostics_format: str) -> None:
    """The regulation's payment paragraphs (§§ 13–16), written from SPEC.

    Norwegian text in the phrasing of forskrift om standarder og nasjonale
    e-helseløsninger, with every amount taken from the evaluated spec, so
    that a hearing note never retypes a figure. With a price adjustment
    (--set prisjustering=4%), the adjusted amounts, as the Ministry puts
    them in the regulation when it is adopted.

    \b
    Examples:
      nhnprice regulation specs/2024.nhp -o forskrift-2024.txt
      nhnprice regulation specs/2024.nhp --set prisjustering=4%
    """
    result = evaluate_spec(spec, data, diagnostics_format, settings, scenario)
    write_output(regulation_text(result), output)
