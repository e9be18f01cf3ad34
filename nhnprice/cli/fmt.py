"""`nhnprice fmt`: rewrite specs in canonical form, keeping their meaning and comments."""

from __future__ import annotations

import difflib
import sys

import click

from nhnprice.cli import EXIT_ERRORS, emit, write_output
from nhnprice.files import Limits, Unreadable, read_bytes
from nhnprice.formatter import format_source
from nhnprice.syntax import parse_file


def _read(path: str) -> str | None:
    """A spec's text, line ends as they are; None when it is not a readable UTF-8 file (a pipe, a
    device and a file over the size limit included, see files.py)."""
    try:
        return read_bytes(path, Limits.from_env().file_mb, "spec file").decode("utf-8")
    except (Unreadable, UnicodeDecodeError):
        return None


@click.command("fmt")
@click.argument("specs", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--check", "check_only", is_flag=True,
              help="Change nothing: show a unified diff of what would change and exit 1 if any file "
                   "is not canonical.")
def fmt(specs: tuple[str, ...], check_only: bool) -> None:
    """Rewrite each SPEC in canonical form, without changing its meaning.

    \b
    The canonical form:
      - two-space indentation, one statement or field per line;
      - the fields of a block in a fixed order (file, id, name, weight,
        entities, provenance, date; cost, reference, note, then the shares);
      - statements in the order written, a blank line between kinds and around blocks;
      - numbers with a decimal point, thousands grouped by a space (`1 570 kr`),
        amounts in mill with at least one decimal (`17.0 mill`).

    Comments are kept next to the line they annotate. A file with a syntax
    error is reported and left untouched; files are replaced atomically.

    \b
    Examples:
      nhnprice fmt specs/2024.nhp
      nhnprice fmt --check specs/*.nhp      # in CI: exit 1 and a diff if not canonical

    Exit status: 0 all canonical (or rewritten), 1 a file not canonical under
    --check or with errors, 2 wrong usage.
    """
    failed = False
    for path in specs:
        text = _read(path)
        if text is None:
            emit(parse_file(path)[1])
            failed = True
            continue
        canonical, diagnostics = format_source(text, path)
        if canonical is None:
            emit(diagnostics)
            click.echo(f"{path} was not formatted", err=True)
            failed = True
            continue
        if canonical == text:
            continue
        if check_only:
            diff = difflib.unified_diff(text.splitlines(keepends=True), canonical.splitlines(keepends=True),
                                        fromfile=f"{path} (as written)", tofile=f"{path} (canonical)")
            sys.stdout.writelines(diff)
            click.echo(f"{path} is not canonical: run `nhnprice fmt {path}`", err=True)
            failed = True
        else:
            write_output(canonical, path)
            click.echo(f"reformatted {path}", err=True)
    if failed:
        sys.exit(EXIT_ERRORS)
