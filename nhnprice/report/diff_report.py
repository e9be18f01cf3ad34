"""A diff of two results as a terminal table, Markdown, an HTML page, CSV or JSON (`nhnprice.diff/1`)."""

from __future__ import annotations

import csv
import io
import json
from html import escape

from nhnprice.diff import Change, Diff
from nhnprice.numbers import format_decimal, fraction_text, kroner2
from nhnprice.report import safe_text
from nhnprice.report.html_page import page, table
from nhnprice.report.labels import labels
from nhnprice.report.table import grid

#: what `nhnprice diff --format` offers
FORMATS = ("table", "markdown", "html", "json", "csv")

FORMAT = "nhnprice.diff/1"


def _sections(d: Diff, L) -> list[tuple[str, str, tuple[Change, ...]]]:
    out = [("groups", L["d_groups"], d.groups), ("fees", L["d_fees"], d.fees), ("members", L["d_members"], d.members),
           ("pools", L["d_pools"], d.pools), ("cells", L["d_cells"], d.cells),
           ("carry_overs", L["d_carry_overs"], d.carry_overs), ("residuals", L["d_residuals"], d.residuals)]
    if d.entities is not None:
        out.append(("entities", L["d_entities"], d.entities))
    out.append(("totals", L["d_totals"], d.totals))
    return out


def _percent(c: Change, L) -> str:
    if c.ratio is None:
        return L["d_new_row"] if c.old_ore is None and c.new_ore else ""
    text = format_decimal(c.ratio * 100, 1)
    return text if text.startswith("-") or not c.change_ore else "+" + text


def _money(ore: int | None, unit: str = "ore") -> str:
    if ore is None:
        return ""
    return kroner2(ore) if unit == "ore" else format_decimal(ore, 0)


def _signed(ore: int, unit: str = "ore") -> str:
    text = _money(ore, unit)
    return text if ore <= 0 else "+" + text


def _label(section: str, c: Change, L) -> str:
    if section == "totals":
        return L.get("d_" + c.label, c.label)
    return c.label


def render(d: Diff, fmt: str = "table", lang: str = "nb", all_rows: bool = False) -> str:
    if fmt == "json":
        return json.dumps(as_dict(d), ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        return _csv(d)
    if fmt == "html":
        return _html(d, lang, all_rows)
    L = labels(lang)
    money = [L["d_what"], L["d_old"], L["d_new"], L["d_change"], L["d_percent"]]
    counts = [L["d_what"], L["d_old_count"], L["d_new_count"], L["d_change_count"], L["d_percent"]]
    markdown = fmt == "markdown"
    out = [("# " if markdown else "") + L["d_title"].format(old=d.old, new=d.new)]
    if d.identical:
        out += ["", L["d_none"]]
    for section, title, rows in _sections(d, L):
        shown = rows if all_rows or section == "totals" else d.changed(rows)
        if not shown:
            continue
        cells = [[_label(section, c, L), _money(c.old_ore, c.unit), _money(c.new_ore, c.unit),
                  _signed(c.change_ore, c.unit), _percent(c, L)] for c in shown]
        header = counts if section == "members" else money
        out += ["", ("## " if markdown else "") + title, ""]
        if markdown:
            out += ["| " + " | ".join(header) + " |", "|---|---:|---:|---:|---:|"]
            out += ["| " + " | ".join(x.replace("|", "\\|") for x in r) + " |" for r in cells]
        else:
            out += grid(header, cells, wrap_from=5)
        if len(shown) < len(rows):
            out.append(L["d_unchanged"].format(n=len(rows) - len(shown)))
    return "\n".join(out) + "\n"


def _html(d: Diff, lang: str, all_rows: bool) -> str:
    """One self-contained page: a table per level, with the same rows as the terminal's."""
    L = labels(lang)
    title = L["d_title"].format(old=d.old, new=d.new)
    parts = [f"<h1>{escape(title)}</h1>"] + ([f"<p>{escape(L['d_none'])}</p>"] if d.identical else [])
    money = [L["d_what"], L["d_old"], L["d_new"], L["d_change"], L["d_percent"]]
    counts = [L["d_what"], L["d_old_count"], L["d_new_count"], L["d_change_count"], L["d_percent"]]
    for section, heading, rows in _sections(d, L):
        shown = rows if all_rows or section == "totals" else d.changed(rows)
        if not shown:
            continue
        header = counts if section == "members" else money
        parts.append(table(heading, header, [(_label(section, c, L), [_money(c.old_ore, c.unit), _money(c.new_ore, c.unit),
                                                                      _signed(c.change_ore, c.unit), _percent(c, L)])
                                             for c in shown]))
        if len(shown) < len(rows):
            parts.append(f"<p>{escape(L['d_unchanged'].format(n=len(rows) - len(shown)))}</p>")
    return page(title, lang, parts)


def _row(section: str, c: Change) -> dict:
    fields = {"groups": ("group",), "pools": ("pool",), "cells": ("pool", "group"), "entities": ("group", "entity"),
              "totals": ("total",), "fees": ("group", "category"), "members": ("group", "category"),
              "residuals": ("pool",), "carry_overs": ("item",)}[section]
    suffix = "_ore" if c.unit == "ore" else ""  # member counts are `old`, `new`, `change`
    return {**dict(zip(fields, c.key)), "label": c.label, "old" + suffix: c.old_ore, "new" + suffix: c.new_ore,
            "change" + suffix: c.change_ore, "change_ratio": fraction_text(c.ratio)}


def as_dict(d: Diff) -> dict:
    L = labels("en")
    return {"format": FORMAT, "old": {"file": d.old, "title": d.old_title}, "new": {"file": d.new, "title": d.new_title},
            "identical": d.identical,
            **{section: [_row(section, c) for c in rows] for section, _, rows in _sections(d, L)}}


def _csv(d: Diff) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["level", "pool", "group", "entity", "label", "old_ore", "new_ore", "change_ore"])
    for section, _, rows in _sections(d, labels("en")):
        for c in rows:
            r = _row(section, c)
            entity = r.get("entity", r.get("total", r.get("category", r.get("item", ""))))
            writer.writerow([section, r.get("pool", ""), r.get("group", ""),
                             safe_text(entity or ""), safe_text(c.label), "" if c.old_ore is None else c.old_ore, "" if c.new_ore is None else c.new_ore,
                             c.change_ore])
    return out.getvalue()
