"""Keys and registers: reading CSV files into checked, exact tables.

A key maps entity ids to weights (exact: integers or decimal fractions, never
floats); a register lists entities. Every problem is a diagnostic naming the
file, the row (as an editor counts lines, the header being row 1) and the
column; all problems of a file are reported together.
"""

from __future__ import annotations

import csv
import io
from fractions import Fraction

import attrs

from nhnprice.diagnostics import Diagnostic, error
from nhnprice.graph import DatasetNode
from nhnprice.span import Span


@attrs.frozen
class Table:
    """A loaded data set. `weights` is empty for a register."""

    name: str
    kind: str
    path: str
    ids: tuple[str, ...]
    names: dict[str, str]
    weights: dict[str, Fraction | int]
    rows: tuple[dict[str, str], ...] = attrs.field(repr=False)
    column: str | None = None

    def __len__(self) -> int:
        return len(self.ids)


def _decode(raw: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [error("D001", f"{path} is not UTF-8 text: byte 0x{raw[exc.start]:02x} cannot be read",
                            Span(path, line, 1), "save the file as UTF-8 (CSV UTF-8 in Excel)")]


def _dialect(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def parse_weight(text: str, delimiter: str) -> Fraction | None:
    """`1 234,5` or `1234.5` -> exact Fraction; None when it is not a finite number."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if delimiter == ";" or ("," in cleaned and "." not in cleaned):
        cleaned = cleaned.replace(",", ".")
    if not cleaned or not all(c.isdigit() or c in ".-+" for c in cleaned):
        return None
    try:
        return Fraction(cleaned)
    except (ValueError, ZeroDivisionError):
        return None


def read_rows(path: str) -> tuple[list[str], list[tuple[int, list[str]]], str, list[Diagnostic]]:
    """Header, `(row number, fields)` pairs and delimiter of a CSV file."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        return [], [], ",", [error("D002", f"no such data file: {path}")]
    except OSError as exc:
        return [], [], ",", [error("D002", f"cannot read {path}: {exc.strerror}")]
    if b"\x00" in raw:
        return [], [], ",", [error("D001", f"{path} is a binary file, not CSV text", Span(path, 1, 1),
                                   "export the data as CSV")]
    text, diags = _decode(raw, path)
    if text is None:
        return [], [], ",", diags
    if not text.strip():
        return [], [], ",", [error("D003", f"{path} is empty", Span(path, 1, 1),
                                   "the first row must name the columns")]
    delimiter = _dialect(text.splitlines()[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for h in next(reader)]
    rows = [(reader.line_num, fields) for fields in reader if any(f.strip() for f in fields)]
    return header, rows, delimiter, []


def load(node: DatasetNode, path: str | None = None) -> tuple[Table | None, list[Diagnostic]]:
    """Read and validate the data set declared by `node` (from `path` when given)."""
    path = path or node.path
    header, rows, delimiter, out = read_rows(path)
    if out:
        if out[0].span is None and path == node.path:
            out = [attrs.evolve(out[0], span=node.span,
                                hint="the path is relative to the spec's folder")] + out[1:]
        return None, out
    wanted = [("id", node.id_column), ("name", node.name_column), ("weight", node.weight_column)]
    columns: dict[str, int] = {}
    for role, column in wanted:
        if column is None:
            continue
        if column not in header:
            from nhnprice.diagnostics import did_you_mean

            out.append(error("D004", f"{path} has no column `{column}` (the {role} column of `{node.name}`)",
                             Span(path, 1, 1), did_you_mean(column, header) or
                             "columns: " + ", ".join(header)))
        else:
            columns[role] = header.index(column)
    if out:
        return None, out
    if not rows and node.kind == "key":
        return None, [error("D003", f"{path} has a header but no rows", Span(path, 1, 1),
                            "a key needs a weight for every entity it distributes to")]
    ids: list[str] = []
    first_row: dict[str, int] = {}
    names: dict[str, str] = {}
    weights: dict[str, Fraction | int] = {}
    records: list[dict[str, str]] = []
    for number, fields in rows:
        if len(fields) != len(header):
            out.append(error("D005", f"row has {len(fields)} fields, the header has {len(header)}",
                             Span(path, number, 1), "every row needs a value for every column"))
            continue
        ident = fields[columns["id"]].strip()
        id_col = columns["id"] + 1
        if not ident:
            out.append(error("D006", "empty id", Span(path, number, id_col)))
            continue
        if ident in first_row:
            out.append(error("D007", f"`{ident}` appears twice", Span(path, number, id_col),
                             f"first at row {first_row[ident]}; each entity must appear once"))
            continue
        first_row[ident] = number
        if "weight" in columns:
            text = fields[columns["weight"]]
            weight = parse_weight(text, delimiter)
            col = columns["weight"] + 1
            if weight is None:
                what = "is empty" if not text.strip() else f"`{text.strip()}` is not a number"
                out.append(error("D008", f"the weight of `{ident}` {what}", Span(path, number, col),
                                 "weights are numbers such as 15221 or 0,0027"))
                continue
            if weight < 0:
                out.append(error("D009", f"the weight of `{ident}` is negative ({text.strip()})",
                                 Span(path, number, col), "a distribution key cannot take money back"))
                continue
            weights[ident] = int(weight) if weight.denominator == 1 else weight
        ids.append(ident)
        if "name" in columns:
            names[ident] = fields[columns["name"]].strip()
        records.append(dict(zip(header, fields)))
    if not out and node.kind == "key" and not any(weights.values()):
        out.append(error("D010", f"every weight in {path} is zero", Span(path, 2, columns["weight"] + 1),
                         "a key with no weight cannot distribute anything"))
    if out:
        return None, out
    return Table(node.name, node.kind, path, tuple(ids), names, weights, tuple(records),
                 node.weight_column), []
