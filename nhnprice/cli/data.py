"""`nhnprice data check`: check a key or register file before a spec uses it."""

from __future__ import annotations

import click

from nhnprice import data
from nhnprice.cli import diagnostics_option, emit, end, lang_option
from nhnprice.readers import Layout
from nhnprice.report.labels import labels


@click.group("data")
def data_group() -> None:
    """Work with keys and registers: the data files a spec distributes by."""


@data_group.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--kind", type=click.Choice(["key", "register"]), default="key", show_default=True,
              help="A key (id -> weight) or a register (a list of ids).")
@click.option("--year", type=int, default=2024, show_default=True,
              help="The year whose municipalities a municipal key must cover exactly once.")
@click.option("--id-column", metavar="COLUMN", help="Column of ids [default: kommunenummer or "
              "organisasjonsnummer if the header has it, else the first column].")
@click.option("--weight-column", metavar="COLUMN", help="Column of weights (keys) [default: the last "
              "column that is neither the id nor the name].")
@click.option("--name-column", metavar="COLUMN", help="Column of names [default: kommunenavn or navn, if present].")
@click.option("--entities", type=click.Choice(["municipalities", "organisations", "other"]),
              help="What the ids are: municipality numbers (checked against --year), organisation numbers "
                   "(MOD11-checked) or other [default: from the id column's name].")
@click.option("--sheet", help="XLSX: the sheet to read [default: the first].")
@click.option("--header-row", type=click.IntRange(min=1), default=1, show_default=True,
              help="The row that names the columns (rows counted as an editor or Excel does).")
@click.option("--last-row", type=click.IntRange(min=1), help="The last row to read (leaves out totals and notes).")
@click.option("--encoding", type=click.Choice(["utf-8", "cp1252"]), help="CSV: the file's encoding [default: utf-8].")
@click.option("--numbering", type=int, help="The year whose municipality numbers the file uses (2020–2023 is "
              "mapped to 2024).")
@click.option("--split", "splits", multiple=True, metavar="NUMBER",
              help="Divide the figure of a municipality split in the renumbering (1507 Ålesund) by the "
                   "2024 population of the parts (repeatable).")
@lang_option
@diagnostics_option
def check_file(file: str, kind: str, year: int, id_column: str | None, weight_column: str | None,
               name_column: str | None, entities: str | None, sheet: str | None, header_row: int,
               last_row: int | None, encoding: str | None, numbering: int | None, splits: tuple[str, ...],
               lang: str, diagnostics_format: str) -> None:
    """Check a key or register FILE (CSV or XLSX) before a spec uses it.

    Reads FILE the way `nhnprice check` reads a declared data set and reports
    every problem with file, row and column: duplicated or empty ids, weights
    that are negative, empty, not numbers, NaN or infinite, all-zero keys,
    ragged rows, empty files, undecodable bytes; municipality numbers that are
    not of the year (and, for a key, municipalities missing); organisation
    numbers that fail the MOD11 check. Exit 0 when the file can be used, 1 when
    it cannot.

    \b
    Examples:
      nhnprice data check specs/data/2024/kommunehelse.csv
      nhnprice data check grønt-hefte.xlsx --sheet "Tabell C-k" --header-row 3 --last-row 360 \\
          --id-column Kommunenr --weight-column Kommunehelse
      nhnprice data check medlemmer.csv --kind register
    """
    try:
        checked = data.check_file(file, kind, year, id_column=id_column, weight_column=weight_column,
                             name_column=name_column, entities=entities,
                             layout=Layout(sheet, header_row, last_row, encoding), numbering=numbering, splits=splits)
    except data.BadChoice as exc:
        if exc.option is None:
            raise click.UsageError(str(exc)) from None
        raise click.BadParameter(str(exc), param_hint=exc.option) from None
    end(emit(checked.diagnostics, diagnostics_format), failed=not checked.ok)
    click.echo("\n".join(checked.summary(labels(lang))))
