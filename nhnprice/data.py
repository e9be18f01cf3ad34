"""Keys and registers: files read into checked, exact tables.

A key maps entity ids to weights (exact: integers or decimal fractions, never
floats); a register lists entities. `nhnprice.readers` gets the rows out of a
CSV or XLSX file; this module checks them and builds the `Table`. Every
problem is a diagnostic naming the file, the row (as an editor or Excel counts
rows, the header being row 1 unless the data set says `header row N`) and the
column; all problems of a file are reported together. Files are only read,
never changed: a renumbered key is renumbered in memory, and said so in the
report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING

import attrs

from nhnprice.diagnostics import Diagnostic, did_you_mean, error, has_errors
from nhnprice.municipalities import SplitRule, check_municipalities
from nhnprice.numbers import format_number, number_problem, parse_weight
from nhnprice.readers import Layout, normalise_column, read_rows
from nhnprice.record import Record, frozen
from nhnprice.reference import renumbering
from nhnprice.sheet import Declared
from nhnprice.span import Span

if TYPE_CHECKING:
    from nhnprice.files import Limits
    from nhnprice.readers import Layout, Sheet


# Reading and validating (readers.py, municipalities.py) are imported when a file is read: a
# Table from the cache, or a Table passed around by evaluation, needs neither.

#: id columns that say what the ids are, for `nhnprice data check` without `--entities`
ENTITY_COLUMNS = MappingProxyType({"kommunenummer": "municipalities", "knr": "municipalities",
                                   "organisasjonsnummer": "organisations", "orgnr": "organisations"})


class Rows(Sequence):
    """The file's row of each id (a dict of column → text), in the order of the ids.

    A register of thousands of members is mostly read for its ids and names; the
    rest of its columns matter only to fee categories and computed shares. So a
    cached table (cache.py) stores each column as one string and splits it into
    rows when they are first read: unpickling thousands of dicts costs more than
    the rest of a warm report's data.
    """

    __slots__ = ("_rows", "_packed")
    cacheable = True  # cache.py may rebuild it: its state is plain text
    _SEPARATOR = "\x1f"  # the ASCII unit separator, which no text read from a file contains here

    def __init__(self, rows: Iterable[dict[str, str]] = ()):
        self._rows: tuple[dict[str, str], ...] | None = tuple(rows)
        self._packed: tuple[tuple[str, ...], tuple[str, ...], int] | None = None

    @property
    def _all(self) -> tuple[dict[str, str], ...]:
        if self._rows is None:
            header, columns, count = self._packed
            split = [column.split(self._SEPARATOR) if count else [] for column in columns]
            self._rows = tuple(dict(zip(header, values)) for values in zip(*split)) if header \
                else tuple({} for _ in range(count))
        return self._rows

    def __getitem__(self, index):
        return self._all[index]

    def __len__(self) -> int:
        return len(self._rows) if self._rows is not None else self._packed[2]

    def __iter__(self):
        return iter(self._all)

    def __eq__(self, other) -> bool:
        return isinstance(other, (Rows, tuple)) and tuple(self) == tuple(other)

    __hash__ = None

    def __repr__(self) -> str:
        return f"Rows({len(self)} rows)"

    def __reduce__(self):
        rows = self._all
        header = tuple(rows[0]) if rows else ()
        sep = self._SEPARATOR
        if all(tuple(row) == header for row in rows) and not any(sep in v for row in rows for v in row.values()):
            columns = tuple(sep.join(row[c] for row in rows) for c in header)
            return _unpack_rows, (header, columns, len(rows))
        return Rows, (rows,)


def _unpack_rows(header: tuple[str, ...], columns: tuple[str, ...], count: int) -> Rows:
    rows = Rows()
    rows._rows, rows._packed = None, (header, columns, count)
    return rows


_unpack_rows.cacheable = True


@frozen
class Table(Record):
    """A loaded data set. `weights` is empty for a register."""

    name: str
    kind: str
    path: str
    ids: tuple[str, ...]
    names: dict[str, str]
    weights: dict[str, Fraction | int]
    rows: Sequence[dict[str, str]] = attrs.field(repr=False)  # the file's row of each id, in the order of `ids`
    column: str | None = None
    format: str = "csv"
    sheet: str | None = None
    notes: tuple[str, ...] = ()  # what was done to the data on reading (renumbering)
    decimal_comma: bool = False  # how the file writes decimals, for reading other columns of `rows`
    lines: tuple[int, ...] = ()  # the file's row number of each id, as an editor shows it (for diagnostics)

    def __len__(self) -> int:
        return len(self.ids)


def layout(node: Declared) -> Layout:
    return Layout(node.sheet, node.header_row, node.last_row, node.encoding)


def column_letter(col: int) -> str:
    """1 -> A, 28 -> AB: Excel's name of a column."""
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _cell_notes(diagnostics: list[Diagnostic], sheet: Sheet) -> list[Diagnostic]:
    """For a workbook, name the sheet and cell as Excel shows them."""
    if sheet.format != "xlsx":
        return diagnostics
    return [attrs.evolve(d, notes=d.notes + (f'sheet "{sheet.sheet}", cell {column_letter(d.span.col)}'
                                             f'{d.span.line}',))
            if d.span is not None and d.span.file == sheet.path else d for d in diagnostics]


def field_span(sheet: Sheet, row: int, fields: tuple[str, ...], index: int) -> Span:
    """Where field `index` of a row is: the character column in a CSV line (so that editors
    jump to it and the caret falls under it), the column number in a workbook."""
    if sheet.format != "csv":
        return Span(sheet.path, row, index + 1)
    start = 1 + sum(len(f) + 1 for f in fields[:index])
    return Span(sheet.path, row, start, row, start + max(1, len(fields[index])))


def _organisation(ident: str) -> str | None:
    """The nine digits of a valid organisation number (spaces allowed), or None."""
    from stdnum.no import orgnr

    if not (len(ident) == 9 and ident.isdigit()):  # the common case skips stdnum's slower clean-up
        ident = orgnr.compact(ident)
    return ident if len(ident) == 9 and ident.isdigit() and orgnr.checksum(ident) == 0 else None


def load(node: Declared, path: str | None = None, year: int | None = None,
         raw: bytes | None = None, limits: Limits | None = None) -> tuple[Table | None, list[Diagnostic]]:
    """Read and validate the data set declared by `node` (from `path` when given; `raw` is the
    file's content when the caller has read it already).

    `year` is the spec's year: the ids of a data set of `entities municipalities`
    must be the municipalities of that year's division.
    """
    path = path or node.path
    sheet, out = read_rows(path, layout(node), raw, limits)
    if sheet is None:
        if out and out[0].span is None and path == node.path:
            out = [attrs.evolve(out[0], span=node.span,
                                hint="the path is relative to the spec's folder")] + out[1:]
        return None, out
    table, out = _rows(node, sheet, year)
    return table, _cell_notes(out, sheet)


def _columns(node: Declared, sheet: Sheet) -> tuple[dict[str, int], list[Diagnostic]]:
    header = list(sheet.header)
    wanted = [("id", node.id_column), ("name", node.name_column), ("weight", node.weight_column)]
    columns: dict[str, int] = {}
    out: list[Diagnostic] = []
    for role, column in wanted:
        if column is None:
            continue
        column = normalise_column(column)
        if column not in header:
            out.append(error("D004", f"{sheet.path} has no column `{column}` (the {role} column of `{node.name}`)",
                             Span(sheet.path, sheet.header_row, 1), did_you_mean(column, header) or
                             "columns: " + ", ".join(header)))
        else:
            columns[role] = header.index(column)
            out += _column_twice(node, sheet, role, column)
    return columns, out


def _column_twice(node: Declared, sheet: Sheet, role: str, column: str) -> list[Diagnostic]:
    """A declared column the header names twice: which of the two is meant would be a guess."""
    places = [i for i, h in enumerate(sheet.header) if h == column]
    if len(places) < 2:
        return []
    where = ", ".join(column_letter(i + 1) for i in places)
    return [error("D016", f"{sheet.path} has the column `{column}` {len(places)} times (columns {where}); "
                  f"it is the {role} column of `{node.name}`",
                  field_span(sheet, sheet.header_row, sheet.header, places[1]),
                  "rename or remove all but one of them, so that it is clear which one is meant")]


def _rows(node: Declared, sheet: Sheet, year: int | None) -> tuple[Table | None, list[Diagnostic]]:
    path, header = sheet.path, sheet.header
    columns, out = _columns(node, sheet)
    if out:
        return None, out
    if not sheet.rows and node.kind == "key":
        return None, [error("D003", f"{path} has a header but no rows", Span(path, sheet.header_row, 1),
                      "a key needs a weight for every entity it distributes to")]
    ids: list[str] = []
    first_row: dict[str, int] = {}
    names: dict[str, str] = {}
    weights: dict[str, Fraction | int] = {}
    records: dict[int, dict[str, str]] = {}  # by row number
    id_spans: dict[str, Span] = {}
    for number, fields in sheet.rows:
        if len(fields) != len(header):
            out.append(error("D005", f"row has {len(fields)} fields, the header has {len(header)}",
                             Span(path, number, 1), "every row needs a value for every column; "
                             "a value with the delimiter in it must be quoted"))
            continue
        ident = fields[columns["id"]].strip()
        id_span = field_span(sheet, number, fields, columns["id"])
        if not ident:
            out.append(error("D006", "empty id", id_span))
            continue
        if node.entities == "municipalities" and ident.isdigit() and len(ident) == 3:
            ident = "0" + ident  # a spreadsheet that stored 0301 as the number 301
        if node.entities == "organisations":
            valid = _organisation(ident)
            if valid is None:
                out.append(error("D013", f"`{ident}` is not a valid organisation number", id_span,
                                 "an organisation number has nine digits and a MOD11 check digit"))
                continue
            ident = valid
        if ident in first_row:
            out.append(error("D007", f"`{ident}` appears twice", id_span,
                             f"first at row {first_row[ident]}; each entity must appear once"))
            continue
        first_row[ident] = number
        id_spans[ident] = id_span
        if "weight" in columns:
            text = fields[columns["weight"]]
            weight = parse_weight(text, sheet.decimal_comma)
            at = field_span(sheet, number, fields, columns["weight"])
            if weight is None:
                problem, hint = number_problem(text, sheet.decimal_comma)
                out.append(error("D008", f"the weight of `{ident}` {problem}", at,
                                 f"{hint} (column `{header[columns['weight']]}`)"))
                continue
            if weight < 0:
                out.append(error("D009", f"the weight of `{ident}` is negative ({text.strip()})",
                                 at, "a distribution key cannot take money back"))
                continue
            weights[ident] = int(weight) if weight.denominator == 1 else weight
        ids.append(ident)
        if "name" in columns:
            names[ident] = fields[columns["name"]].strip()
        records[number] = dict(zip(header, fields))
    notes: tuple[str, ...] = ()
    if node.entities == "municipalities" and not out:
        mapped, found = check_municipalities(node, year, id_spans, weights, names,
                                             field_span(sheet, sheet.header_row, sheet.header, columns["id"]))
        out += found
        if mapped is not None:
            id_spans, weights, names, notes = mapped
            ids = list(id_spans)
    if not has_errors(out) and node.kind == "key" and not any(weights.values()):
        out.append(error("D010", f"every weight in {path} is zero",
                         Span(path, sheet.header_row + 1, columns["weight"] + 1),
                         "a key with no weight cannot distribute anything"))
    if has_errors(out):
        return None, out
    rows = Rows(records[id_spans[i].line] for i in ids)  # one per id, also after renumbering
    return Table(node.name, node.kind, path, tuple(ids), names, weights, rows, node.weight_column,
                 sheet.format, sheet.sheet, notes, sheet.decimal_comma, tuple(id_spans[i].line for i in ids)), out


# ---- a data file checked without a spec (`nhnprice data check`)

#: name columns taken when none is given, in this order
NAME_COLUMNS = ("kommunenavn", "navn", "name", "rhf")


class BadChoice(ValueError):
    """A choice given to `check_file` that cannot work (with this file); `option` names it, if one."""

    def __init__(self, message: str, option: str | None = None):
        super().__init__(message)
        self.option = option


@frozen
class FileDeclaration(Record):
    """What a spec would declare of a data file checked on its own: the file is its own name."""

    name: str
    kind: str  # key | register
    path: str
    id_column: str
    name_column: str | None
    weight_column: str | None
    entities: str | None
    sheet: str | None = None
    header_row: int = 1
    last_row: int | None = None
    encoding: str | None = None
    numbering: int | None = None
    splits: tuple[SplitRule, ...] = ()
    span: Span | None = None


@frozen
class FileCheck(Record):
    """What `check_file` found: the table (None when the file cannot be used) and every problem."""

    declared: FileDeclaration | None  # None when the file could not be read at all
    year: int
    table: Table | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return self.table is not None and not has_errors(self.diagnostics)

    def summary(self, L: Mapping[str, str]) -> list[str]:
        """`FILE: ok: nøkkel med 357 kommuner i 2024, id-kolonne ...` in the words of `L` (a language's
        labels, `report.labels`), then what was done to the data."""
        d, table = self.declared, self.table
        one = len(table) == 1
        what = {"municipalities": "dc_municipality" if one else "dc_municipalities",
                "organisations": "dc_organisation" if one else "dc_organisations"}.get(
            d.entities, "dc_entity" if one else "dc_entities")
        line = L["dc_ok"].format(file=d.path, kind=L["dc_" + d.kind], n=len(table), what=L[what].format(year=self.year),
                                 id=d.id_column)
        if d.kind == "key":
            line += L["dc_weight"].format(column=d.weight_column, sum=_exact(Fraction(sum(table.weights.values()))))
        return [line] + [f"  {note}" for note in table.notes]


def _exact(value: Fraction) -> str:
    try:
        return format_number(value)
    except ValueError:  # not a finite decimal
        return f"{value.numerator}/{value.denominator}"


def _defaults(header: tuple[str, ...], kind: str, id_column: str | None, name_column: str | None,
              weight_column: str | None, entities: str | None):
    """The columns used when not given: `kommunenummer` or `organisasjonsnummer` (else the first
    column) for ids, a name column if there is one, and the last other column for weights."""
    if id_column is None:
        id_column = next((c for c in header if c.lower() in ENTITY_COLUMNS), header[0] if header else "")
    if entities is None:
        entities = ENTITY_COLUMNS.get(id_column.lower())
    if name_column is None:
        name_column = next((c for c in header if c.lower() in NAME_COLUMNS and c != id_column), None)
    if kind == "key" and weight_column is None:
        others = [c for c in header if c not in (id_column, name_column)]
        if not others:
            raise BadChoice(f"the header ({', '.join(header)}) has no column left for the weights; "
                            "name one with --weight-column, or check a register with --kind register")
        weight_column = others[-1]
    return id_column, name_column, weight_column, entities


def check_file(path: str, kind: str = "key", year: int = 2024, *, id_column: str | None = None,
               weight_column: str | None = None, name_column: str | None = None, entities: str | None = None,
               layout: Layout = Layout(), numbering: int | None = None, splits: Sequence[str] = (),
               raw: bytes | None = None) -> FileCheck:
    """Read and check a key or register file the way a spec's data set is read, with the columns
    it does not name taken from its header (`_defaults`); `entities` "other" checks no ids. `raw`
    is the file's content when the caller has it (then `path` only names it).

    Raises BadChoice for a choice that cannot work: a split of a municipality that was not
    split, or a key whose header leaves no column for the weights."""
    for old in splits:
        if len(renumbering().get(old, ())) < 2:
            raise BadChoice(f"{old} was not split in the 2024 renumbering (1507 Ålesund was)", "--split")
    found, problems = read_rows(path, layout, raw)
    if found is None:
        return FileCheck(None, year, None, tuple(problems))
    id_column, name_column, weight_column, entities = _defaults(
        found.header, kind, id_column, name_column, weight_column, entities)
    declared = FileDeclaration(path, kind, path, id_column, name_column, weight_column if kind == "key" else None,
                               None if entities == "other" else entities, layout.sheet, layout.header_row,
                               layout.last_row, layout.encoding, numbering,
                               tuple(SplitRule(old, "population") for old in splits))
    table, diagnostics = load(declared, year=year, raw=raw)
    return FileCheck(declared, year, table, tuple(diagnostics))
