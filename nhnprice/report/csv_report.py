"""Every entity's amount per pool as CSV, for spreadsheets and further processing."""

from __future__ import annotations

import csv
import io
from fractions import Fraction

from nhnprice.numbers import format_decimal


def render(result, entity: str | None = None, **_options) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["pool", "group", "entity", "name", "amount_ore", "amount_kr"])
    for a in result.allocations:
        if entity is not None and a.entity != entity:
            continue
        kr = format_decimal(Fraction(a.amount_ore, 100), 2, ".", "")
        writer.writerow([a.pool, a.group, a.entity, a.name, a.amount_ore, kr])
    return out.getvalue()
