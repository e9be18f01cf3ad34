"""The terminal table, shaped like the hearing note's tables 2–5.

Pools by payer group in mill. kroner with Norwegian number formatting (`88,3`),
a sum per section of the regulation and in all, then the flat-fee lines, the
data each figure rests on and the spec's own expectations.
"""

from __future__ import annotations

from nhnprice.money import kroner, mill, mill_exact
from nhnprice.params import format_value
from nhnprice.printer import format_number
from nhnprice.report import data_notice, provenance_line

LABELS = {
    "nb": {"unit": "Beløp i mill. kroner", "pool": "Løsning", "cost": "Kostnad", "sum": "Sum",
           "total": "Sum alle", "outside": "utenfor forskriften", "fees": "Faste beløp",
           "fee_line": "{title}: {fee} kr per medlem per måned × 12 × {members} medlemmer = {collected} kr; "
                       "andel {share} kr; avvik {deviation} kr",
           "fee_line_categories": "{title}: {unit_word} {fee} kr per måned, "
                                  "{members} medlemmer = {collected} kr; andel {share} kr; avvik {deviation} kr",
           "data": "Data", "rows": "rader", "checks": "Forventninger i spesifikasjonen",
           "ok": "stemmer", "failed": "STEMMER IKKE", "notice": "Merk: rapporten bygger på data som ikke er offisielle:",
           "residual": "ufordelt avrunding", "regulated": "innenfor forskriften",
           "before": "Kostnad før prisjustering", "adjusted": "Prisjustering (§ 17) {pct}: kostnadene er ganget med {factor}",
           "carry": "overføring", "params": "Parametre", "set": "satt for denne kjøringen", "solved": "løst",
           "unit_price": "enhetspris (vekt 1)", "base_fee": "grunnbeløp",
           "members_param": "medlemmer talt av parameteren {param}; registeret har {count}"},
    "en": {"unit": "Amounts in million NOK", "pool": "Solution", "cost": "Cost", "sum": "Sum",
           "total": "Total", "outside": "outside the regulation", "fees": "Flat fees",
           "fee_line": "{title}: NOK {fee} per member per month × 12 × {members} members = NOK {collected}; "
                       "share NOK {share}; deviation NOK {deviation}",
           "fee_line_categories": "{title}: {unit_word} NOK {fee} per month, "
                                  "{members} members = NOK {collected}; share NOK {share}; deviation NOK {deviation}",
           "data": "Data", "rows": "rows", "checks": "Expectations in the spec",
           "ok": "holds", "failed": "FAILS", "notice": "Note: this report rests on data that is not official:",
           "residual": "unallocated rounding", "regulated": "inside the regulation",
           "before": "Cost before price adjustment", "adjusted": "Price adjustment (§ 17) {pct}: costs multiplied by {factor}",
           "carry": "carry-over", "params": "Parameters", "set": "set for this run", "solved": "solved",
           "unit_price": "unit price (weight 1)", "base_fee": "base fee",
           "members_param": "members counted by parameter {param}; the register lists {count}"},
}


def _row(cells: list[str], widths: list[int]) -> str:
    first, *rest = cells
    return (first.ljust(widths[0]) + "".join(c.rjust(w + 2) for c, w in zip(rest, widths[1:]))).rstrip()


def _wrap(title: str, width: int = 12) -> list[str]:
    """A column title over as many lines as it needs, `width` characters each."""
    lines: list[str] = []
    for word in title.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def render(result, lang: str = "nb", **_options) -> str:
    L = LABELS[lang]
    g = result.graph
    groups = list(g.groups.values())
    amount = {(a.pool, a.group): a.amount_ore for a in result.groups}
    cost_of = {p.id: p for p in result.pools}
    adjusted = result.price_factor != 1
    header = [L["pool"]] + ([L["before"]] if adjusted else []) + [L["cost"]] + \
        [grp.title + ("*" if grp.outside else "") for grp in groups]
    fixed = 3 if adjusted else 2  # columns before the groups'
    rows: list[list[str] | None] = []

    def cells(label: str, pools: list) -> list[str]:
        cost = sum(cost_of[p.id].cost_ore for p in pools)
        out = [label] + ([mill(sum(p.cost_ore for p in pools))] if adjusted else []) + [mill(cost)]
        for grp in groups:
            values = [amount[(p.id, grp.id)] for p in pools if (p.id, grp.id) in amount]
            out.append(mill(sum(values)) if values else "")
        return out

    sections: dict[str | None, list] = {}
    for p in g.pools:
        sections.setdefault(p.section, []).append(p)
    for heading, pools in sections.items():
        if heading is not None:
            title = pools[0].section_title or ""
            rows.append([f"{heading} {title}".strip()])
        for p in pools:
            rows.append(cells("  " + p.title, [p]))
            if p.carry_over_ore:
                # shown as its own line: the groups' amounts above include their share of it
                rows.append([f"    {L['carry']}: {p.carry_over_reference}"] + [""] * (fixed - 2)
                            + [mill_exact(p.carry_over_ore)] + [""] * len(groups))
        if heading is not None and len(pools) > 1:
            rows.append(cells(f"  {L['sum']} {heading}", pools))
        rows.append(None)
    rows.append(cells(L["total"], list(g.pools)))

    wrapped = [[h] for h in header[:1]] + [_wrap(h) for h in header[1:]]
    height = max(len(w) for w in wrapped)
    wrapped = [[""] * (height - len(w)) + w for w in wrapped]
    body = [r for r in rows if r and len(r) > 1]
    widths = [max([len(x) for x in wrapped[i]] + [len(r[i]) for r in body]) for i in range(len(header))]
    lines = [g.title, f"{L['unit']}.", ""]
    if result.scenario:
        lines.append(f"Scenario: {result.scenario}")
    if result.parameters:
        lines.append(f"{L['params']}: " + "; ".join(
            f"{name} = {format_value(g.parameters[name].kind, value)}"
            + (f" ({L['set']})" if name in result.overridden else "")
            for name, value in result.parameters.items()))
    if adjusted:
        lines.append(L["adjusted"].format(pct=format_value("percent", result.price_factor - 1),
                                          factor=format_number(result.price_factor).replace(".", ",")))
    if result.parameters or adjusted or result.scenario:
        lines.append("")
    notice = data_notice(result)
    if notice:
        lines += [L["notice"]] + [f"  - {n}" for n in notice] + [""]
    for i in range(height):
        lines.append(_row([w[i] for w in wrapped], widths))
    lines.append("-" * max(len(x) for x in lines[-height:]))
    for r in rows:
        lines.append("" if r is None else r[0] if len(r) == 1 else _row(r, widths))
    if any(grp.outside for grp in groups):
        lines.append(f"* {L['outside']}")
        inside = sum(a.amount_ore for a in result.groups if not g.groups[a.group].outside)
        outside = sum(a.amount_ore for a in result.groups if g.groups[a.group].outside)
        lines.append(f"{L['total']}: {mill(inside)} {L['regulated']} + {mill(outside)} {L['outside']} "
                     f"= {mill(inside + outside)}")
    residual = [p for p in result.pools if p.residual_ore]
    for p in residual:
        lines.append(f"{p.id}: {L['residual']} {kroner(p.residual_ore)} kr")
    for c in result.carry_overs:
        lines.append(f"{c.group}: {L['carry']} {kroner(c.amount_ore)} kr ({c.reference})")
    if result.fees:
        lines += ["", L["fees"]]
        for f in result.fees:
            lines.append("  " + L["fee_line_categories" if f.categories else "fee_line"].format(
                title=g.groups[f.group].title, fee=kroner(f.fee_ore_per_month),
                unit_word=L["unit_price" if f.categories and f.categories[0].weight is not None else "base_fee"], members=kroner(f.members * 100),
                collected=kroner(f.collected_ore), share=kroner(f.share_ore), deviation=kroner(f.deviation_ore))
                + (f" ({L['solved']})" if f.solved else ""))
            for c in f.categories:
                price = f"× {format_number(c.weight).replace('.', ',')}" if c.weight is not None else \
                    f"+ {kroner(c.addon_ore)} kr"
                lines.append(f"    {c.title} ({price}): {kroner(c.fee_ore_per_month)} kr × 12 × "
                             f"{kroner(c.members * 100)} = {kroner(c.collected_ore)} kr")
            if f.carry_over_ore:
                lines.append(f"    {L['carry']} {kroner(f.carry_over_ore)} kr ({g.groups[f.group].carry_over_reference})")
            if f.members_parameter and f.members != f.register_members:
                lines.append("    " + L["members_param"].format(param=f.members_parameter,
                                                               count=kroner(f.register_members * 100)))
    lines += ["", L["data"]]
    for name, node in g.datasets.items():
        table = result.tables[name]
        column = f" ({node.weight_column})" if node.weight_column else ""
        sheet = f' "{table.sheet}"' if table.sheet else ""
        lines.append(f"  {name}: {provenance_line(node)}")
        lines.append(f"    {len(table)} {L['rows']}, {table.path}{sheet}{column}")
        lines.extend(f"    {note}" for note in table.notes)
    if result.checks:
        ok = sum(c.ok for c in result.checks)
        lines += ["", f"{L['checks']}: {ok}/{len(result.checks)} {L['ok']}"]
        for c in result.checks:
            if not c.ok:
                lines.append(f"  {L['failed']}: {c.description}: {mill(c.expected_ore, 3)} ≠ {mill(c.actual_ore, 3)}")
    return "\n".join(lines) + "\n"
