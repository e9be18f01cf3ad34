"""Every entity's amount per pool as a machine CSV, for scripts and other systems.

RFC 4180: comma-separated, fields quoted where needed, UTF-8 without a byte-order
mark, one header row, amounts in whole øre and in kroner with a decimal point.
Not meant to be opened in a spreadsheet (a Norwegian Excel reads it as one
column): finance staff get `--format xlsx`. Text that a spreadsheet would read
as a formula is neutralised all the same (`safe_text`).
"""

from __future__ import annotations

import csv
import io

from nhnprice.money import kroner2
from nhnprice.report import safe_text

HEADER = ["pool", "group", "entity", "name", "amount_ore", "amount_kr"]


def render(result, entity: str | None = None, **_options) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    safe: dict[str, str] = {}  # the names and ids of a register repeat in every pool

    def text(value: str) -> str:
        found = safe.get(value)
        if found is None:
            found = safe[value] = safe_text(value)
        return found

    writer.writerows([text(a.pool), text(a.group), text(a.entity), text(a.name), a.amount_ore,
                      kroner2(a.amount_ore, ".", "")]
                     for a in result.allocations if entity is None or a.entity == entity)
    return out.getvalue()
