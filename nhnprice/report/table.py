"""The terminal table, shaped like the hearing note's tables 2–5.

Pools by payer group in mill. kroner with Norwegian number formatting (`88,3`),
a sum per section of the regulation and in all (with the cost before the
price adjustment of § 17 when there is one, and carry-overs as their own
lines), then the flat-fee lines, the data each figure rests on and the
spec's own expectations. With `entity`, the lines one entity pays instead,
in kroner.
"""

from __future__ import annotations

from nhnprice.numbers import MONTHS, count, format_number, kroner2, mill
from nhnprice.params import format_value
from nhnprice.report import data_notice, provenance_line
from nhnprice.report.labels import labels
from nhnprice.report.summary import amount_cells, columns, entity_lines, mill_text, regulated_totals, summary_rows
from nhnprice.within import totals


def _row(cells: list[str], widths: list[int], text_columns: int = 1) -> str:
    """The first `text_columns` cells left-aligned, the rest (figures) right-aligned."""
    return "".join((c.ljust(w) if i < text_columns else c.rjust(w)) if i == 0 else
                   "  " + (c.ljust(w) if i < text_columns else c.rjust(w))
                   for i, (c, w) in enumerate(zip(cells, widths))).rstrip()


def _wrap(title: str, width: int = 12) -> list[str]:
    """A column title over as many lines as it needs, `width` characters each."""
    lines: list[str] = []
    for word in title.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def grid(header: list[str], rows: list[list[str] | None], wrap_from: int = 1, text_columns: int = 1) -> list[str]:
    """Aligned columns: the first `text_columns` left, the rest right; a one-cell row is a heading,
    None a blank line; titles from column `wrap_from` on are wrapped."""
    wrapped = [[h] for h in header[:wrap_from]] + [_wrap(h) for h in header[wrap_from:]]
    height = max(len(w) for w in wrapped)
    wrapped = [[""] * (height - len(w)) + w for w in wrapped]
    body = [r for r in rows if r and len(r) > 1]
    widths = [max([len(x) for x in wrapped[i]] + [len(r[i]) for r in body if i < len(r)])
              for i in range(len(header))]
    lines = [_row([w[i] for w in wrapped], widths, text_columns) for i in range(height)]
    lines.append("-" * max(len(x) for x in lines))
    for r in rows:
        lines.append("" if r is None else r[0] if len(r) == 1 else _row(r, widths, text_columns))
    return lines


def _notice(result, L) -> list[str]:
    notice = data_notice(result, L)
    return [L["notice"]] + [f"  - {n}" for n in notice] + [""] if notice else []


def parameter_lines(result, L) -> list[str]:
    """The scenario and parameters this evaluation used and the price adjustment, if any."""
    g = result.graph
    lines = [f"Scenario: {result.scenario}"] if result.scenario else []
    if result.parameters:
        lines.append(f"{L['params']}: " + "; ".join(
            f"{name} = {format_value(g.parameters[name].kind, value)}"
            + (f" ({L['set']})" if name in result.overridden else "")
            for name, value in result.parameters.items()))
    if result.price_factor != 1:
        lines.append(L["adjusted"].format(pct=format_value("percent", result.price_factor - 1),
                                          factor=factor_text(result.price_factor)))
    return lines + [""] if lines else []


def factor_text(factor) -> str:
    return format_number(factor).replace(".", ",")


def adjustment_lines(result, L) -> list[str]:
    """§ 17: the adjusted payments against the adjusted costs, and the margin that holds any excess."""
    a = result.adjustment
    if a is None:
        return []
    difference = a.payments_ore - a.costs_ore
    where = L["adj_over" if difference > 0 else "adj_under"]
    return [L["adj_total"].format(payments=kroner2(a.payments_ore), costs=kroner2(a.costs_ore),
                                  difference=kroner2(abs(difference)), where=where, margin=kroner2(a.margin_ore))]


def residual_lines(result, L) -> list[str]:
    """What rounding left unallocated in each pool, or (after § 17) put above its adjusted cost."""
    return [f"{p.id}: {L['residual'] if p.residual_ore > 0 else L['over_cost']} {kroner2(abs(p.residual_ore))} kr"
            for p in result.pools if p.residual_ore]


def fee_lines(result, L) -> list[tuple[int, str]]:
    """The flat-fee lines, each with its depth (1: a group's line, 2: its categories and notes)."""
    g = result.graph
    out: list[tuple[int, str]] = []
    for f in result.fees:
        unit_word = L["unit_price" if f.categories and f.categories[0].weight is not None else "base_fee"]
        fee = kroner2(f.fee_ore_per_month)
        if f.stated_fee_ore_per_month is not None:  # § 17: stated × factor = adjusted
            how = L["solved_from_adjusted"] if f.solved else f"× {factor_text(result.price_factor)}"
            fee = f"{kroner2(f.stated_fee_ore_per_month)} kr {how} = {fee}"
        out.append((1, L["fee_line_categories" if f.categories else "fee_line"].format(
            title=g.groups[f.group].title, fee=fee, unit_word=unit_word,
            members=count(f.members), collected=kroner2(f.collected_ore), share=kroner2(f.share_ore),
            deviation=kroner2(f.deviation_ore)) + (f" ({L['solved']})" if f.solved else "")))
        for c in f.categories:
            price = f"× {format_number(c.weight).replace('.', ',')}" if c.weight is not None else \
                f"+ {kroner2(c.addon_ore)} kr"
            fee = kroner2(c.fee_ore_per_month)
            if c.stated_fee_ore_per_month is not None and c.stated_fee_ore_per_month != c.fee_ore_per_month:
                fee = f"{kroner2(c.stated_fee_ore_per_month)} → {fee}"
            out.append((2, f"{c.title} ({price}): {fee} kr × {MONTHS} × "
                           f"{count(c.members)} = {kroner2(c.collected_ore)} kr"))
        if f.carry_over_ore:
            out.append((2, f"{L['carry']} {kroner2(f.carry_over_ore)} kr ({g.groups[f.group].carry_over_reference})"))
        if f.members_parameter and f.members != f.register_members:
            out.append((2, L["members_param"].format(param=f.members_parameter,
                                                     count=count(f.register_members))))
    return out


def within_lines(result, L) -> list[str]:
    """What each sub-entity pays of its entity's amounts (`then by`), by group and entity, in kroner."""
    if not result.within:
        return []
    g = result.graph
    lines, seen = [L["within"]], None
    for group, parent, entity, amount in totals(result):
        grp = g.groups[group]
        if (group, parent) != seen:
            seen = (group, parent)
            parent_name = result.tables[grp.key].names.get(parent, "")
            lines.append(f"  {grp.title}: {parent} {parent_name} ({L['within_by']} `{grp.within}`)")
        name = result.tables[grp.within].names.get(entity, "")
        lines.append(f"    {entity} {name}: {kroner2(amount)} kr")
    return lines


def fitted(header: list[str], rows: list[list[str] | None], fixed: int, width: int | None) -> list[str]:
    """The grid, or, when it is wider than `width`, several grids one under the other: each with the
    first `fixed` columns and as many of the others as fit (at least one)."""
    lines = grid(header, rows)
    if width is None or max(len(x) for x in lines) <= width or len(header) <= fixed + 1:
        return lines
    body = [r for r in rows if r and len(r) > 1]

    def column_width(i: int) -> int:
        return 2 + max([len(x) for x in _wrap(header[i])] + [len(r[i]) for r in body])

    used = sum(column_width(i) for i in range(fixed)) - 2  # the first column has no gap before it
    chunks: list[list[int]] = [[]]
    for i in range(fixed, len(header)):
        if chunks[-1] and used + sum(column_width(j) for j in chunks[-1]) + column_width(i) > width:
            chunks.append([])
        chunks[-1].append(i)
    out: list[str] = []
    for chunk in chunks:
        keep = list(range(fixed)) + chunk
        part = [None if r is None else r if len(r) == 1 else [r[i] for i in keep] for r in rows]
        out += ([""] if out else []) + grid([header[i] for i in keep], part)
    return out


def render(result, lang: str = "nb", entity: str | None = None, width: int | None = None, **_options) -> str:
    """The summary table; `width`: the terminal's width, which the table is made to fit."""
    if entity is not None:
        return render_entity(result, entity, lang)
    L = labels(lang)
    g = result.graph
    groups = columns(result)
    adjusted = result.price_factor != 1
    header = [L["pool"]] + ([L["before"]] if adjusted else []) + [L["cost"]] + \
        [grp.title + ("*" if grp.outside else "") for grp in groups]
    rows: list[list[str] | None] = []
    for r in summary_rows(result, L["sum"], L["total"], L["carry"]):
        if r.kind == "section":
            if rows:
                rows.append(None)
            rows.append([r.label])
            continue
        if r.kind == "total":
            rows.append(None)
        label = {"total": r.label, "carry": "    " + r.label}.get(r.kind, "  " + r.label)
        before = [mill_text(r.kind, r.before_ore)] if adjusted else []
        cost = mill_text(r.kind, r.cost_ore)
        rows.append([label] + before + [cost] + amount_cells(r, lambda v, kind=r.kind: mill_text(kind, v)))
    lines = [g.title, f"{L['unit']}.", ""] + parameter_lines(result, L) + _notice(result, L) + \
        fitted(header, rows, 3 if adjusted else 2, width)
    if any(grp.outside for grp in groups):
        lines.append(f"* {L['outside']}")
        inside, outside = regulated_totals(result)
        lines.append(f"{L['total']}: {mill(inside)} {L['regulated']} + {mill(outside)} {L['outside']} "
                     f"= {mill(inside + outside)}")
    lines += residual_lines(result, L) + adjustment_lines(result, L)
    for c in result.carry_overs:
        lines.append(f"{c.group}: {L['carry']} {kroner2(c.amount_ore)} kr ({c.reference})")
    if result.fees:
        lines += ["", L["fees"]] + [("  " * depth) + text for depth, text in fee_lines(result, L)]
    if result.within:
        lines += [""] + within_lines(result, L)
    lines += ["", L["data"]]
    for name, node in g.datasets.items():
        table = result.tables[name]
        column = f" ({node.weight_column})" if node.weight_column else ""
        sheet = f' "{table.sheet}"' if table.sheet else ""
        lines.append(f"  {name}: {provenance_line(node, L)}")
        lines.append(f"    {len(table)} {L['rows']}, {table.path}{sheet}{column}")
        lines.extend(f"    {note}" for note in table.notes)
    if result.checks:
        ok = sum(c.ok for c in result.checks)
        lines += ["", f"{L['checks']}: {ok}/{len(result.checks)} {L['ok']}"]
        for c in result.checks:
            if not c.ok:
                show = (lambda ore: mill(ore, 3)) if c.unit == "mill" else (lambda ore: f"{kroner2(ore)} kr")
                lines.append(f"  {L['failed']}: {c.description}: {show(c.expected_ore)} ≠ {show(c.actual_ore)}")
    return "\n".join(lines) + "\n"


def render_entity(result, entity: str, lang: str = "nb") -> str:
    """One entity's lines: pool, amount in kroner to the øre, and the total."""
    L = labels(lang)
    g = result.graph
    name, lines_ = entity_lines(result, entity, L["carry"])
    groups = {line.group for line in lines_}
    who = f"{L['entity']} {entity} {name}".rstrip()
    if len(groups) == 1:
        who += f" ({g.groups[next(iter(groups))].title})"
    rows: list[list[str] | None] = [
        [line.pool_title + ("" if len(groups) == 1 else f" ({g.groups[line.group].title})"),
         kroner2(line.amount_ore)] for line in lines_]
    rows += [None, [L["entity_total"], kroner2(sum(line.amount_ore for line in lines_))]]
    out = [g.title, who, f"{L['entity_unit']}.", ""] + parameter_lines(result, L) + _notice(result, L)
    out += grid([L["pool"], L["amount_kr"]], rows)
    return "\n".join(out) + "\n"
