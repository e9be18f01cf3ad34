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

from array import array
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from functools import lru_cache
from operator import eq, methodcaller
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

    A register of thousands (or a million) of members is mostly read for its ids
    and names; the rest of its columns matter only to fee categories and computed
    shares. So a row read from a CSV file is kept as the one string the reader
    packed it into (`readers.PackedRows`) and made into a dict only when first
    read, and a cached table (cache.py) stores all rows as one string: a dict per
    row costs more memory than the rest of the table, and unpickling thousands
    of dicts more than the rest of a warm report's data.
    """

    __slots__ = ("_rows", "_lines")
    cacheable = True  # cache.py may rebuild it: its state is plain text
    _SEPARATOR = "\x1f"  # between the fields of a row: the ASCII unit separator
    _ROW_SEPARATOR = "\x1e"  # between rows, in the cache: the ASCII record separator

    def __init__(self, rows: Iterable[dict[str, str]] = ()):
        self._rows: tuple[dict[str, str], ...] | None = tuple(rows)
        # (the file's header, each row's fields joined by _SEPARATOR (or all rows joined by
        # _ROW_SEPARATOR), the number of rows)
        self._lines: tuple[tuple[str, ...], Sequence[str] | str, int] | None = None

    @classmethod
    def of_lines(cls, header: Sequence[str], lines: Sequence[str] | str, count: int) -> Rows:
        """Rows kept packed: `dict(zip(header, line.split(_SEPARATOR)))` when read (a column named
        twice keeps its last field, as a dict made from the row would)."""
        rows = cls()
        rows._rows, rows._lines = None, (tuple(header), lines, count)
        return rows

    @property
    def _all(self) -> tuple[dict[str, str], ...]:
        if self._rows is None:
            header, lines, count = self._lines
            if isinstance(lines, str):
                lines = lines.split(self._ROW_SEPARATOR) if count else []
            sep = self._SEPARATOR
            self._rows = tuple(dict(zip(header, line.split(sep))) for line in lines)
        return self._rows

    def __getitem__(self, index):
        return self._all[index]

    def __len__(self) -> int:
        return len(self._rows) if self._rows is not None else self._lines[2]

    def __iter__(self):
        return iter(self._all)

    def __eq__(self, other) -> bool:
        return isinstance(other, (Rows, tuple)) and tuple(self) == tuple(other)

    __hash__ = None

    def __repr__(self) -> str:
        return f"Rows({len(self)} rows)"

    def __reduce__(self):
        sep, rs = self._SEPARATOR, self._ROW_SEPARATOR
        if self._lines is not None:
            header, lines, count = self._lines
        else:
            rows = self._all
            header = tuple(rows[0]) if rows else ()
            if not all(tuple(row) == header for row in rows) or any(sep in v for row in rows for v in row.values()):
                return Rows, (rows,)
            lines, count = [sep.join(row.values()) for row in rows], len(rows)
        joined = lines if isinstance(lines, str) else rs.join(lines)
        if joined.count(rs) != max(count - 1, 0):  # a field with the row separator in it
            joined = list(lines)
        return _unpack_rows, (header, joined, count)


def _unpack_rows(header: tuple[str, ...], lines: list[str] | str, count: int) -> Rows:
    return Rows.of_lines(header, lines, count)


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
    # the file's row number of each id, as an editor shows it (for diagnostics): where, like a span,
    # not what, so not compared; a range when the rows follow each other (no number kept per row)
    lines: Sequence[int] = attrs.field(default=(), eq=False)

    def __len__(self) -> int:
        return len(self.ids)

    def __reduce__(self):
        """Pickled (for the cache) as a few long strings and arrays, not an object per id: a
        million ids, names and weights then take a second less to store and to load, and
        storing them does not need an entry per object in pickle's memo."""
        return _unpack_table, (self.name, self.kind, self.path, *_pack_columns(self.ids, self.names, self.weights),
                               self.rows, self.column, self.format, self.sheet, self.notes, self.decimal_comma,
                               _pack_lines(self.lines))


def _pack_columns(ids: tuple[str, ...], names: dict[str, str], weights: dict) -> tuple:
    """`ids`, `names` and `weights` as strings and an array where they can be (else as they are)."""
    sep = Rows._SEPARATOR
    packed_ids = sep.join(ids)
    if packed_ids.count(sep) != max(len(ids) - 1, 0):  # an id with the separator in it
        return ids, names, weights
    in_order = lambda mapping: len(mapping) == len(ids) and all(map(eq, mapping, ids))  # noqa: E731
    if in_order(names):
        joined = sep.join(names.values())
        if joined.count(sep) == packed_ids.count(sep):
            names = joined
    if in_order(weights) and all(type(w) is int and -2**63 <= w < 2**63 for w in weights.values()):
        weights = array("q", weights.values()).tobytes()
    return packed_ids, names, weights


def _pack_lines(lines: Sequence[int]) -> tuple[int, int] | bytes:
    """Row numbers as (first, last) when they follow each other, else as 8-byte integers."""
    if isinstance(lines, range) and lines.step == 1:
        return (lines.start, lines.stop)
    return array("q", lines).tobytes()


def _unpack_table(name, kind, path, ids, names, weights, *rest) -> Table:
    if isinstance(ids, str):
        ids = tuple(ids.split(Rows._SEPARATOR)) if ids else ()
        if isinstance(names, str):
            names = dict(zip(ids, names.split(Rows._SEPARATOR))) if ids else {}
        if isinstance(weights, bytes):
            weights = dict(zip(ids, _int64s(weights)))
    *head, lines = rest
    lines = range(*lines) if isinstance(lines, tuple) else tuple(_int64s(lines))
    return Table(name, kind, path, ids, names, weights, *head, lines)


_unpack_table.cacheable = True


def _int64s(data: bytes) -> list[int]:
    numbers = array("q")
    numbers.frombytes(data)
    return numbers.tolist()


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


_MOD11_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2, 1)


@lru_cache(maxsize=1)
def _mod11_tables() -> tuple[MappingProxyType, ...]:
    """The weighted digit sums of the organisation number's MOD11 check (weights 3 2 7 6 5 4 3 2 1),
    for each group of three digits: three look-ups per number instead of nine multiplications."""
    return tuple(MappingProxyType({f"{k:03d}": sum(w * int(d) for w, d in zip(_MOD11_WEIGHTS[i:i + 3], f"{k:03d}"))
                                   for k in range(1000)}) for i in (0, 3, 6))



def _organisation(ident: str) -> str | None:
    """The nine digits of a valid organisation number (spaces allowed), or None."""
    if len(ident) == 9 and ident.isascii() and ident.isdigit():  # the common case: a table look-up
        first, second, third = _mod11_tables()
        return ident if (first[ident[:3]] + second[ident[3:6]] + third[ident[6:]]) % 11 == 0 else None
    from stdnum.no import orgnr

    ident = orgnr.compact(ident)
    return ident if len(ident) == 9 and ident.isdigit() and orgnr.checksum(ident) == 0 else None


def _weight(text: str, decimal_comma: bool) -> Fraction | int | None:
    """A weight read exactly: an int when it is whole (most are, and plain digits need no Fraction)."""
    if text.isascii() and text.isdigit():
        return int(text)
    weight = parse_weight(text, decimal_comma)
    if weight is None:
        return None
    return int(weight) if weight.denominator == 1 else weight


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
    wanted = [("id", node.id_column), ("name", node.name_column), ("weight", node.weight_column),
              ("parent", node.parent_column)]
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
    path = sheet.path
    columns, out = _columns(node, sheet)
    if out:
        return None, out
    if not sheet.rows and node.kind == "key":
        return None, [error("D003", f"{path} has a header but no rows", Span(path, sheet.header_row, 1),
                      "a key needs a weight for every entity it distributes to")]
    found = _plain_rows(node, sheet, columns)
    if found is None:  # some row needs a closer look (or a message): row by row
        found, out = _checked_rows(node, sheet, year, columns)
    ids, names, weights, lines, rows, notes = found
    if not has_errors(out) and node.kind == "key" and not any(weights.values()):
        out.append(error("D010", f"every weight in {path} is zero",
                         Span(path, sheet.header_row + 1, columns["weight"] + 1),
                         "a key with no weight cannot distribute anything"))
    if has_errors(out):
        return None, out
    return Table(node.name, node.kind, path, tuple(ids), names, weights, rows, node.weight_column,
                 sheet.format, sheet.sheet, notes, sheet.decimal_comma, lines), out


def _plain_rows(node: Declared, sheet: Sheet, columns: dict[str, int]) -> tuple | None:
    """What `_checked_rows` finds in a CSV file with nothing to say about it, found a column at a
    time: every row as wide as the header, ids present, valid and unique, weights plain digits.
    None when any of that does not hold, or for municipalities (which have more to check)."""
    packed = getattr(sheet.rows, "lines", None)
    if packed is None or node.entities == "municipalities":
        return None
    sep, width = sheet.rows.SEPARATOR, len(sheet.header)
    if set(map(methodcaller("count", sep), packed)) - {width - 1}:
        return None  # a row wider or narrower than the header
    picked = _columns_of(packed, sep, width, [columns[role] for role in ("id", "name", "weight") if role in columns])
    ids = list(map(str.strip, picked[0]))
    if not all(ids):
        return None
    if node.entities == "organisations" and not _valid_organisation_numbers(ids):
        return None
    names = dict(zip(ids, map(str.strip, picked[1]))) if "name" in columns else {}
    weights: dict = {}
    if "weight" in columns:
        texts = picked[-1]
        digits = "".join(texts)
        if not (all(texts) and digits.isascii() and digits.isdigit()):
            return None
        weights = dict(zip(ids, map(int, texts)))
    if len(names or weights or set(ids)) != len(ids):
        return None  # an id twice
    return ids, names, weights, _row_numbers(sheet.rows.numbers), Rows.of_lines(sheet.header, packed, len(packed)), ()


def _columns_of(lines: list[str], sep: str, width: int, wanted: list[int]) -> list[list[str]]:
    """Columns `wanted` of rows of `width` fields joined by `sep`, split a block of rows at a time
    (one split of many rows, then every width-th field) instead of row by row."""
    out: list[list[str]] = [[] for _ in wanted]
    for start in range(0, len(lines), 50_000):
        fields = sep.join(lines[start:start + 50_000]).split(sep)
        for column, k in zip(out, wanted):
            column += fields[k::width]
    return out


def _row_numbers(numbers: Sequence[int]) -> Sequence[int]:
    """Row numbers, as a range when they follow each other (as they do in a file without blank
    lines or line breaks in fields): a million rows then keep no number each."""
    if numbers and numbers[-1] - numbers[0] == len(numbers) - 1:  # increasing, so consecutive
        return range(numbers[0], numbers[-1] + 1)
    return tuple(numbers)


def _valid_organisation_numbers(ids: list[str]) -> bool:
    """Whether every id is nine ASCII digits with a valid MOD11 check digit, checked all at once
    (with NumPy for a large register, when it is installed)."""
    digits = "".join(ids)
    if set(map(len, ids)) != {9} or not (digits.isascii() and digits.isdigit()):
        return False
    if len(ids) >= 20_000:
        try:
            import numpy as np
        except ImportError:
            pass
        else:
            table = np.frombuffer(digits.encode("ascii"), dtype=np.uint8).reshape(-1, 9).astype(np.int64) - 48
            return bool(((table @ np.array(_MOD11_WEIGHTS, dtype=np.int64)) % 11 == 0).all())
    first, second, third = _mod11_tables()
    return all((first[i[:3]] + second[i[3:6]] + third[i[6:]]) % 11 == 0 for i in ids)


def _checked_rows(node: Declared, sheet: Sheet, year: int | None,
                  columns: dict[str, int]) -> tuple[tuple, list[Diagnostic]]:
    """Each row checked on its own, with a diagnostic for every problem."""
    path, header = sheet.path, sheet.header
    out: list[Diagnostic] = []
    ids: list[str] = []
    first_row: dict[str, int] = {}  # each id's row number
    names: dict[str, str] = {}
    weights: dict[str, Fraction | int] = {}
    kept: dict[str, int] = {}  # each id's row in the sheet
    # where each id is, for the municipality checks (a few hundred rows); other data sets make a
    # span only for a field with a problem, so that a million rows make no object per field
    id_spans: dict[str, Span] = {}
    width, id_column = len(header), columns["id"]
    weight_column, name_column = columns.get("weight"), columns.get("name")
    municipalities, organisations = node.entities == "municipalities", node.entities == "organisations"
    for index, (number, fields) in enumerate(sheet.rows):
        if len(fields) != width:
            out.append(error("D005", f"row has {len(fields)} fields, the header has {len(header)}",
                             Span(path, number, 1), "every row needs a value for every column; "
                             "a value with the delimiter in it must be quoted"))
            continue
        ident = fields[id_column].strip()
        if not ident:
            out.append(error("D006", "empty id", field_span(sheet, number, fields, id_column)))
            continue
        if municipalities and ident.isdigit() and len(ident) == 3:
            ident = "0" + ident  # a spreadsheet that stored 0301 as the number 301
        if organisations:
            valid = _organisation(ident)
            if valid is None:
                out.append(error("D013", f"`{ident}` is not a valid organisation number",
                                 field_span(sheet, number, fields, id_column),
                                 "an organisation number has nine digits and a MOD11 check digit"))
                continue
            ident = valid
        if ident in first_row:
            out.append(error("D007", f"`{ident}` appears twice", field_span(sheet, number, fields, id_column),
                             f"first at row {first_row[ident]}; each entity must appear once"))
            continue
        first_row[ident] = number
        if municipalities:
            id_spans[ident] = field_span(sheet, number, fields, id_column)
        if weight_column is not None:
            text = fields[weight_column]
            weight = _weight(text, sheet.decimal_comma)
            if weight is None or weight < 0:
                out.append(_weight_error(ident, text, weight, header[weight_column], sheet.decimal_comma,
                                         field_span(sheet, number, fields, weight_column)))
                continue
            weights[ident] = weight
        ids.append(ident)
        if name_column is not None:
            names[ident] = fields[name_column].strip()
        kept[ident] = index
    notes: tuple[str, ...] = ()
    lines = first_row
    if municipalities and not out:
        mapped, found = check_municipalities(node, year, id_spans, weights, names,
                                             field_span(sheet, sheet.header_row, sheet.header, columns["id"]))
        out += found
        if mapped is not None:
            id_spans, weights, names, notes = mapped
            ids = list(id_spans)
            # a renumbered id keeps the row of the number it came from
            by_line = {first_row[ident]: index for ident, index in kept.items()}
            lines = {ident: span.line for ident, span in id_spans.items()}
            kept = {ident: by_line[line] for ident, line in lines.items()}
    rows = _rows_of(header, sheet.rows, [kept[i] for i in ids])  # one per id, also after renumbering
    return (ids, names, weights, tuple(lines[i] for i in ids), rows, notes), out


def _rows_of(header: tuple[str, ...], rows: Sequence, indices: list[int]) -> Rows:
    """The sheet's rows at `indices`, still packed when the reader packed them."""
    packed = getattr(rows, "lines", None)
    if packed is not None:
        return Rows.of_lines(header, [packed[i] for i in indices], len(indices))
    return Rows(dict(zip(header, rows[i][1])) for i in indices)


def _weight_error(ident: str, text: str, weight, column: str, decimal_comma: bool, at: Span) -> Diagnostic:
    if weight is None:
        problem, hint = number_problem(text, decimal_comma)
        return error("D008", f"the weight of `{ident}` {problem}", at, f"{hint} (column `{column}`)")
    return error("D009", f"the weight of `{ident}` is negative ({text.strip()})", at,
                 "a distribution key cannot take money back")


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
    parent_column: str | None = None  # a file checked on its own names no parent column
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
