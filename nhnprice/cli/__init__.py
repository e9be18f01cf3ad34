"""The `nhnprice` command: a thin layer of click over the library.

Exit status: 0 when all is well, 1 for problems in a spec or its data
(diagnostics on standard error), 2 for a wrong command line.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from types import MappingProxyType

import click

from nhnprice import __version__
from nhnprice import diagnostics as diagnostics_module
from nhnprice.cache import status
from nhnprice.diagnostics import (EXIT_ERRORS, EXIT_OK, EXIT_USAGE, exit_status, has_errors, limit_per_line,
                                  PER_LINE, render_gnu, render_human, render_json, sort_key)
from nhnprice.files import Access
from nhnprice.pipeline import compile_file, run_scenario
from nhnprice.progress import Progress
from nhnprice.report import FORMATS, chunks, graph_text, write_site
from nhnprice.numbers import count
from nhnprice.report.labels import LANGUAGES, default_language, labels
from nhnprice.report.summary import resolve_entity, UnknownEntity


def parse_data_overrides(ctx, param, values) -> dict[str, str]:
    overrides = {}
    for value in values:
        name, sep, path = value.partition("=")
        if not sep or not name or not path:
            raise click.BadParameter(f"expected NAME=PATH, got {value!r}", ctx, param)
        overrides[name.strip()] = path
    return overrides


def _remember_allowed_dirs(ctx, param, values) -> None:
    ctx.meta["nhnprice.allowed_dirs"] = tuple(values)


def data_option(command):
    """`--data NAME=PATH` and `--allow-data-dir FOLDER`, for every command that reads a spec's data."""
    command = click.option(
        "--allow-data-dir", multiple=True, metavar="FOLDER", expose_value=False, callback=_remember_allowed_dirs,
        type=click.Path(file_okay=False), help="Let the spec read data files in FOLDER too (repeatable); "
        "by default it reads only from its own folder and below.")(command)
    return click.option(
        "--data", "data", multiple=True, metavar="NAME=PATH", callback=parse_data_overrides,
        help="Use PATH (CSV or XLSX) instead of the file the spec declares for data set NAME (repeatable).")(command)


def data_access() -> Access:
    """Where this run's spec may read data (files.Access): its folder, and what --allow-data-dir adds."""
    return Access.default(click.get_current_context().meta.get("nhnprice.allowed_dirs", ()))


def parse_set_overrides(ctx, param, values) -> dict[str, str]:
    overrides = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name.strip() or not text.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}", ctx, param)
        overrides[name.strip()] = text.strip()
    return overrides


set_option = click.option(
    "--set", "settings", multiple=True, metavar="NAME=VALUE", callback=parse_set_overrides,
    help="Override parameter NAME for this run (repeatable): a percent (prisjustering=4%), "
         "an amount (2.5 mill, 1 570 kr) or a count (medlemmer=15000).")
scenario_option = click.option(
    "--scenario", type=click.Path(dir_okay=False), default=None,
    help="A scenario file (TOML): a `name` and a `[set]` table of overrides; --set wins over it.")


def output_option(help_text: str = "Write to this file instead of standard output."):
    return click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
                        help=help_text)
def _language(ctx, param, value: str | None) -> str:
    """The command's --lang, else `nhnprice --lang`, else the environment's (labels.default_language)."""
    if value is None:
        value = (ctx.find_root().obj or {}).get("lang")
    if value is None:
        value = default_language()
    return value


LANG_HELP = ("Language of the words around the figures: nb (Norwegian) or en (English) [default: "
             "NHNPRICE_LANG, else en where LC_ALL, LC_MESSAGES or LANG starts with en, else nb].")
lang_option = click.option("--lang", type=click.Choice(LANGUAGES), default=None, callback=_language,
                           help=LANG_HELP)
diagnostics_option = click.option(
    "--diagnostics", "diagnostics_format", type=click.Choice(diagnostics_module.FORMATS), default="human",
    show_default=True, help="How problems are shown: with source and caret, one line each, or JSON.")


def _per_line() -> int:
    """How many diagnostics are shown for one line: NHNPRICE_MAX_PER_LINE, or the default."""
    text = os.environ.get("NHNPRICE_MAX_PER_LINE", "")
    return int(text) if text.isascii() and text.isdigit() and int(text) > 0 else PER_LINE


def emit(diagnostics, fmt: str = "human") -> int:
    """Show diagnostics on standard error, in source order; return the exit status they call for."""
    if not diagnostics:
        return EXIT_OK
    everything = sorted(diagnostics, key=sort_key)
    ordered = limit_per_line(everything, _per_line())
    if fmt == "json":
        text = render_json(ordered)
    elif fmt == "gnu":
        text = render_gnu(ordered)
    else:
        text = render_human(ordered, color=sys.stderr.isatty())
        errors = sum(d.is_error for d in everything)
        warnings = sum(d.severity == "warning" for d in everything)
        text += f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    click.echo(text, err=True)
    return exit_status(diagnostics)


def end(status: int, failed: bool) -> None:
    """End the command when wrong usage was found (`status` 2, whatever else happened) or when it
    has `failed` (with `status`, or 1)."""
    if status == EXIT_USAGE or failed:
        sys.exit(status or EXIT_ERRORS)


def write_output(text: str | bytes | Iterable[str | bytes], output: str | None) -> None:
    """Write to standard output, or atomically to a file (never a half-written file).

    `text` may come in pieces (`report.chunks`), each written as it is made."""
    pieces = (text,) if isinstance(text, (str, bytes)) else text
    if output is None or output == "-":
        for piece in pieces:
            if isinstance(piece, bytes):
                sys.stdout.buffer.write(piece)
            else:
                click.echo(piece, nl=False)
        return
    directory = os.path.dirname(os.path.abspath(output))
    try:
        import tempfile

        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".nhnprice-", suffix=".tmp")
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror}") from None
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # as a plainly created file would be, not mkstemp's 0600
    try:
        with os.fdopen(fd, "wb") as f:
            for piece in pieces:
                f.write(piece if isinstance(piece, bytes) else piece.encode())
        os.replace(tmp, output)
    except BaseException:
        os.unlink(tmp)
        raise


class LazyGroup(click.Group):
    """A command group whose commands in other modules are imported only when used.

    `nhnprice check` should not pay for importing what `verify` (hypothesis) or
    `report --format xlsx` needs; `nhnprice --help` imports them all to list them.
    """

    #: command name -> "module:attribute"; the modules import this one, so they load after it
    lazy = MappingProxyType({
        "data": "nhnprice.cli.data:data_group",
        "diff": "nhnprice.cli.reports:diff",
        "explain": "nhnprice.cli.reports:explain",
        "fmt": "nhnprice.cli.fmt:fmt",
        "invoices": "nhnprice.cli.scenarios:invoices",
        "regulation": "nhnprice.cli.reports:regulation",
        "sweep": "nhnprice.cli.scenarios:sweep",
        "verify": "nhnprice.cli.verify:verify",
    })

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def main(self, *args, **kwargs):
        """Click's main, and a message instead of a traceback when the output cannot be written
        (standard output on a full disk, say); click itself handles a closed pipe."""
        try:
            try:
                return super().main(*args, **kwargs)
            finally:
                sys.stdout.flush()  # here, not at exit, where a failure would be reported as "ignored"
        except OSError as exc:
            # stdout's unwritten bytes would fail again as Python exits: let them go to /dev/null
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            what = f"{exc.filename}: " if exc.filename else "cannot write standard output: "
            click.echo(f"error: {what}{exc.strerror or exc}", err=True)
            sys.exit(EXIT_ERRORS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy and name not in self.commands:
            from importlib import import_module

            module, _, attribute = self.lazy[name].partition(":")
            self.add_command(getattr(import_module(module), attribute), name)
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="nhnprice")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, help=LANG_HELP + " Each command's own "
              "--lang wins over this one.")
@click.pass_context
def main(ctx: click.Context, lang: str | None) -> None:
    """Compile price specs for Norway's national e-health solutions into exact payments.

    A spec (`.nhp`) states, the way forskrift om standarder og nasjonale
    e-helseløsninger §§ 13–16 does, how the cost of each solution is shared
    between the regional health authorities, the municipalities, pharmacies
    and other members, and how each group's amount is distributed.

    \b
    Examples:
      nhnprice check specs/2024.nhp
      nhnprice report specs/2024.nhp
      nhnprice report specs/2024.nhp --format json -o report.json
      nhnprice report specs/2024.nhp --data kommunehelse=grønt-hefte.csv
      nhnprice report specs/2024.nhp --set prisjustering=4%
      nhnprice sweep specs/examples/2027-individuelt-medlemskap.nhp --allow-data-dir specs/data --set medlemmer=5000..30000:5000
      nhnprice invoices specs/2024.nhp --group ovrige --format csv
      nhnprice report specs/2024.nhp --format xlsx -o betaling-2024.xlsx
      nhnprice explain specs/2024.nhp Oslo
      nhnprice diff specs/2024.nhp specs/2024.nhp --set prisjustering=4%
      nhnprice regulation specs/2024.nhp
      nhnprice verify specs/2024.nhp --junit verify.xml
      nhnprice fmt --check specs/*.nhp

    Exit status: 0 ok, 1 problems in the spec or its data, 2 wrong usage.

    Compiled specs and loaded data are cached by their bytes in
    ~/.cache/nhnprice (NHNPRICE_CACHE_DIR moves it, NHNPRICE_NO_CACHE=1 turns
    it off); a changed file is always read afresh, and a folder others can
    write to is not used.

    A spec reads data files only from its own folder and below it
    (--allow-data-dir adds a folder). Limits: NHNPRICE_MAX_FILE_MB,
    NHNPRICE_MAX_WORKBOOK_MB, NHNPRICE_MAX_CELLS, NHNPRICE_MAX_PER_LINE.
    """
    # A run loads and makes tens of thousands of objects at once (data rows, syntax trees,
    # result rows), and none of them is garbage yet; collecting every 700 new objects
    # (Python's default) would scan them again and again.
    import gc

    gc.set_threshold(100_000, 50, 50)
    ctx.obj = {"lang": lang}
    refused = status()[1]
    if refused:  # the run goes on uncached; said once, so that a slow run is explained
        click.echo(f"note: nhnprice's cache is off: {refused}", err=True)


@main.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@data_option
@set_option
@scenario_option
@lang_option
@diagnostics_option
@click.option("--dump", type=click.Choice(["graph"]), default=None,
              help="Print what the compiler made of SPEC instead of checking its data: the allocation graph.")
def check(spec: str, data: dict[str, str], settings: dict[str, str], scenario: str | None, lang: str,
          diagnostics_format: str, dump: str | None) -> None:
    """Check SPEC and its data: syntax, names, shares, data files, expectations.

    Every problem is listed with file, line and column. Exits 1 if any is an
    error, so it can guard a CI pipeline.
    """
    if dump == "graph":
        graph, diagnostics = compile_file(spec, data_access().limits)
        end(emit(diagnostics, diagnostics_format), failed=graph is None)
        write_output(graph_text.render(graph), None)
        return
    with Progress() as progress:
        result, diagnostics = run_scenario(spec, data, settings, scenario, progress, data_access())
    end(emit(diagnostics, diagnostics_format), failed=result is None or has_errors(diagnostics))
    click.echo(labels(lang)["c_ok"].format(spec=spec, pools=len(result.graph.pools), groups=len(result.graph.groups),
                                           allocations=count(result.allocation_count, " "), checks=len(result.checks)))


@main.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(list(FORMATS) + ["site"]),
              default="table", show_default=True,
              help="table: like the hearing's tables 2–5; markdown: the same for a document; json: every figure "
                   "(docs/report-format.md); csv: a machine CSV of every entity's amount per pool (RFC 4180, "
                   "UTF-8, `.` decimals: for scripts; Excel users take xlsx); xlsx: an Excel workbook; html: one "
                   "offline page with a picture of the flows; site: a folder of pages, one per payer, saying what "
                   "it pays and why (xlsx, html and site need -o).")
@click.option("-o", "--output", type=click.Path(writable=True), default=None,
              help="Write to this file (a folder for site) instead of standard output (only when there are no "
                   "errors).")
@lang_option
@click.option("--entity", metavar="ID", default=None,
              help="Only what this entity pays: a kommunenummer (0301), an organisation number or a unique "
                   "name (table, markdown, csv, json).")
@data_option
@set_option
@scenario_option
@diagnostics_option
def report(spec: str, fmt: str, output: str | None, lang: str, entity: str | None, data: dict[str, str],
           settings: dict[str, str], scenario: str | None, diagnostics_format: str) -> None:
    """Evaluate SPEC and report what every payer group and entity pays.

    \b
    Examples:
      nhnprice report specs/2024.nhp
      nhnprice report specs/2024.nhp --entity 0301
      nhnprice report specs/2024.nhp --format xlsx -o betaling-2024.xlsx
      nhnprice report specs/2024.nhp --format html -o betaling-2024.html
      nhnprice report specs/2024.nhp --set prisjustering=4%
      nhnprice report specs/2024.nhp --scenario specs/scenarios/kpi-4.toml --format json
    """
    if fmt in ("xlsx", "html", "site") and output in (None, "-"):
        raise click.UsageError(f"--format {fmt} writes a {'folder' if fmt == 'site' else 'file'}: give it with -o "
                               + ("DIR" if fmt == "site" else "FILE"))
    if entity is not None and fmt in ("xlsx", "html", "site"):
        raise click.UsageError(f"--entity works with table, markdown, csv and json, not {fmt}")
    if fmt == "xlsx":
        from importlib.util import find_spec

        if find_spec("xlsxwriter") is None:
            raise click.ClickException("--format xlsx needs XlsxWriter, which came with nhnprice: "
                                       "pip install xlsxwriter")
    with Progress() as progress:
        result, diagnostics = run_scenario(spec, data, settings, scenario, progress, data_access())
    end(emit(diagnostics, diagnostics_format), failed=result is None)
    if has_errors(diagnostics) and output not in (None, "-"):
        click.echo(f"{output} was not written: the spec has errors", err=True)
        sys.exit(EXIT_ERRORS)
    if entity is not None:
        entity = resolve_entity_option(result, entity)
    if fmt == "site":
        try:
            written = write_site(result, output, lang)
        except FileExistsError as exc:
            raise click.UsageError(str(exc)) from None
        click.echo(f"{output}: {labels(lang)['site_pages'].format(n=written)}", err=True)
    else:
        write_output(chunks(result, fmt, lang=lang, entity=entity, width=terminal_width(output)), output)
    if has_errors(diagnostics):  # failed expectations: the figures are shown, but this is not a success
        sys.exit(EXIT_ERRORS)


def terminal_width(output: str | None) -> int | None:
    """How wide a table on standard output may be: COLUMNS when set, else the terminal's width;
    None (any width) for a file or a pipe."""
    if output not in (None, "-"):
        return None
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    if sys.stdout.isatty():
        import shutil

        return shutil.get_terminal_size().columns
    return None


def resolve_entity_option(result, text: str, param: str = "--entity") -> str:
    """An entity id from what the user typed, or a usage error that says what was meant."""
    try:
        return resolve_entity(result, text)
    except UnknownEntity as exc:
        raise click.BadParameter(str(exc), param_hint=param) from None


if __name__ == "__main__":  # pragma: no cover
    main()
