"""Every entity's amount per pool as a machine CSV, for scripts and other systems.

RFC 4180: comma-separated, fields quoted where needed, UTF-8 without a byte-order
mark, one header row, amounts in whole øre and in kroner with a decimal point.
Not meant to be opened in a spreadsheet (a Norwegian Excel reads it as one
column): finance staff get `--format xlsx`. Text that a spreadsheet would read
as a formula is neutralised all the same (`safe_text`).
"""

from __future__ import annotations

from nhnprice.numbers import kroner2
from nhnprice.report import safe_text

HEADER = ("pool", "group", "entity", "name", "amount_ore", "amount_kr")


def field(text: str) -> str:
    """One CSV field, quoted as RFC 4180 and Python's csv module (minimal quoting) do, formula-safe."""
    text = safe_text(text)
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def render(result, entity: str | None = None, **_options) -> str:
    """The rows of the JSON report's `allocations`, in its order, written block by block: a block's
    rows share their pool and group, and a register's entities are quoted once for all its pools."""
    out = [",".join(HEADER) + "\n"]
    quoted: dict[tuple[int, int], list[str]] = {}  # (id of entities, id of names) -> `entity,name,` per row
    for block in result.blocks:
        entities, names = block.entities, block.names
        start = f"{field(block.pool)},{field(block.group)},"
        if entity is not None:
            rows = [(f"{field(e)},{field(names.get(e, ''))},", amount)
                    for e, amount in zip(entities, block.amounts) if e == entity]
        else:
            middles = quoted.get((id(entities), id(names)))
            if middles is None:
                middles = quoted[id(entities), id(names)] = [f"{field(e)},{field(names.get(e, ''))},"
                                                             for e in entities]
            rows = zip(middles, block.amounts)
        out.append("".join(f"{start}{middle}{amount},{kroner2(amount, '.', '')}\n" for middle, amount in rows))
    return "".join(out)
