"""Computed shares: exact expressions of parameters and data aggregates, evaluated per run.

`(30 % + 20 % * count(kj_i_bruk) / count(kommunehelse))` is a Fraction for the
run's parameter values and data; the evaluator checks that it stays within
0–100 % and that the pool's shares still add up to exactly 100 %.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from nhnprice.graph import Arithmetic, ColumnSum, Expr, Number, ParameterValue, RowCount, expr_text
from nhnprice.numbers import parse_weight, percent_text


class Problem(Exception):
    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint
        self.expr = None  # the expression that could not be computed, when known


def evaluate(expr: Expr, params: Mapping[str, Fraction | int], tables: Mapping) -> Fraction:
    """The exact value of an expression."""
    if isinstance(expr, Number):
        return expr.value
    if isinstance(expr, ParameterValue):
        return Fraction(params[expr.name])
    if isinstance(expr, RowCount):
        return Fraction(len(tables[expr.dataset]))
    if isinstance(expr, ColumnSum):
        return _column_sum(tables[expr.dataset], expr.column)
    left, right = evaluate(expr.left, params, tables), evaluate(expr.right, params, tables)
    if expr.op == "+":
        return left + right
    if expr.op == "-":
        return left - right
    if expr.op == "*":
        return left * right
    if right == 0:
        raise Problem(f"`{expr_text(expr.right)}` is zero, and a share cannot divide by zero",
                      "check the data set or the parameter it counts")
    return left / right


def _column_sum(table, column: str) -> Fraction:
    if column == table.column:
        return Fraction(sum(table.weights.values()))
    if table.rows and column not in table.rows[0]:
        raise Problem(f"{table.path} has no column `{column}`", "columns: " + ", ".join(table.rows[0]))
    total = Fraction(0)
    for ident, row in zip(table.ids, table.rows):
        value = parse_weight(row[column], table.decimal_comma)
        if value is None:
            raise Problem(f"`{row[column].strip()}` in column `{column}` of `{ident}` ({table.path}) is not a number")
        total += value
    return total


def atoms(expr: Expr):
    """What an expression reads: its parameters, counts and sums (not its constants)."""
    if isinstance(expr, Arithmetic):
        yield from atoms(expr.left)
        yield from atoms(expr.right)
    elif not isinstance(expr, Number):
        yield expr


def inputs(expr: Expr, params, tables) -> str:
    """`count(kj_i_bruk) = 120, x = 4 %`: what the expression was computed from."""
    parts = {}
    for atom in atoms(expr):
        text = expr_text(atom)
        try:
            value = evaluate(atom, params, tables)
        except Problem:
            continue
        parts[text] = percent_text(value) if isinstance(atom, ParameterValue) and value < 1 and value.denominator != 1 \
            else format(value if value.denominator != 1 else value.numerator)
    return ", ".join(f"{k} = {v}" for k, v in parts.items()) or "constants only"


def inputs_of(computed, params, tables) -> str:
    return "; ".join(inputs(expr, params, tables) for kind, _, expr in computed if kind == "computed")


def computed_values(computed, params, tables) -> tuple[list[Fraction | None], tuple[Fraction, Expr] | None]:
    """A pool's own shares for these inputs: fixed ones as they are, computed ones evaluated, None for
    `rest` and `equally`; stops at a computed share outside 0–100 %, returned second with its expression.
    Raises Problem (with the expression as `expr`) when a share cannot be computed."""
    values: list[Fraction | None] = []
    for kind, value, expr in computed:
        if kind == "computed":
            try:
                value = evaluate(expr, params, tables)
            except Problem as exc:
                exc.expr = expr
                raise
            if not 0 <= value <= 1:
                return values, (value, expr)
        values.append(value)
    return values, None


def fill(computed, values: list[Fraction | None]) -> tuple[list[Fraction], str | None]:
    """`rest` and `equally` given their value; or the total, as text, when the shares do not make 100 %."""
    kinds = [kind for kind, _, _ in computed]
    total = sum((v for v in values if v is not None), Fraction(0))
    fillers = [i for i, kind in enumerate(kinds) if kind in ("rest", "equally")]
    left = 1 - total
    if fillers:
        if left <= 0:
            return [], f"{percent_text(total)} before `{kinds[fillers[0]]}`"
        each = left if kinds[fillers[0]] == "rest" else left / len(fillers)
        values = [each if i in fillers else v for i, v in enumerate(values)]
        return values, None
    if total != 1:
        return [], percent_text(total)
    return values, None
