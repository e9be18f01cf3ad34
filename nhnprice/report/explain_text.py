"""An explanation in plain words: the total first, then each line's path from cost to invoice."""

from __future__ import annotations

from fractions import Fraction

from nhnprice.explain import Explanation, Line
from nhnprice.numbers import MONTHS, ORE_PER_MILL, format_decimal, kroner2, mill_exact
from nhnprice.report.labels import labels

#: what `nhnprice explain --format` offers: this module's text, or explain_json's JSON
FORMATS = ("text", "json")


def share_text(value: Fraction) -> str:
    """`95 %` when the share is a whole or short decimal percentage, else the fraction: `1/3`."""
    percent = value * 100
    for decimals in range(4):
        if (percent * 10**decimals).denominator == 1:
            return f"{format_decimal(percent, decimals)} %"
    return f"{value.numerator}/{value.denominator}"


def number(value: Fraction | int) -> str:
    """A weight as written: whole numbers grouped, fractions exact (`0,0027` or `1/3`)."""
    value = Fraction(value)
    for decimals in range(9):
        if (value * 10**decimals).denominator == 1:
            return format_decimal(value, decimals)
    return f"{value.numerator}/{value.denominator}"


def ore_fraction(value: Fraction) -> str:
    """Exact øre: `166 166 417 6093/5550203` (whole øre and the fraction left)."""
    sign = "-" if value < 0 else ""
    whole, rest = divmod(abs(value.numerator), value.denominator)
    text = sign + format_decimal(whole, 0)
    return text if not rest else f"{text} {rest}/{value.denominator}"


def signed(value: Fraction, decimals: int = 4) -> str:
    """A difference with its sign: `+0,0290`, `-45 000,00` (display only)."""
    if not value:
        return "0"
    text = format_decimal(value, decimals)
    return text if text.startswith("-") else "+" + text


def unit_text(unit_ore: int, L) -> str:
    """The group rounding unit as the regulation would say it: `0,1 mill. kroner`."""
    if unit_ore % (ORE_PER_MILL // 1000) == 0:
        return L["x_mill"].format(mill=mill_exact(unit_ore))
    return L["x_kr"].format(kr=kroner2(unit_ore))


def render(e: Explanation, result, lang: str = "nb") -> str:
    L = labels(lang)
    who = f"{e.name} ({e.entity})" if e.name else e.entity
    out = [L["x_intro"].format(who=who, total=kroner2(e.total_ore), year=e.year, title=e.title, spec=e.spec), ""]
    out.append(L["x_lines" if len(e.lines) != 1 else "x_line"].format(n=len(e.lines)))
    width = max(len(_heading(x, L)) for x in e.lines)
    for x in e.lines:
        out.append(f"  {_heading(x, L).ljust(width)}  {kroner2(x.amount_ore).rjust(16)} kr")
    out += ["", L["x_how"]]
    for i, x in enumerate(e.lines, start=1):
        out += [""] + [f"{i}. {_heading(x, L)}: {kroner2(x.amount_ore)} kr"]
        out += [f"   - {s}" for s in _steps(x, e, who, L)]
    out += ["", L["x_data"]] if e.sources else []
    for s in e.sources:
        flag = f" ({L['x_unofficial']})" if s.status != "official" else ""
        title = f" «{s.title}»" if s.title else ""
        out.append(f"  - {s.name}{title}: {s.path}, {s.rows} {L['rows']}; {s.status or 'unlabelled'}{flag}"
                   + (f": {s.text}" if s.text else "") + (f" ({s.date})" if s.date else ""))
    return "\n".join(out) + "\n"


def _heading(x: Line, L) -> str:
    if x.how == "carry":
        return L["x_carry_label"] + (f" ({x.reference})" if x.reference else "")
    ref = f", {x.reference}" if x.reference else ""
    return f"{x.pool_title}{ref}" + ("" if x.how != "key" or not x.splits or len(x.splits) < 2
                                    else f" ({x.splits[-1].label or x.splits[-1].text})")


def _steps(x: Line, e: Explanation, who: str, L) -> list[str]:
    if x.how == "carry":
        return _carry_steps(x, who, L)
    steps = []
    if x.cost_before_adjustment_ore is not None:
        steps.append(L["x_adjusted"].format(
            before=kroner2(x.cost_before_adjustment_ore), pct=share_text(x.price_factor - 1),
            factor=number(x.price_factor), cost=kroner2(x.cost_ore)))
    else:
        steps.append(L["x_cost"].format(cost=kroner2(x.cost_ore)))
    if x.carry_over_ore:
        steps.append(L["x_pool_carry"].format(amount=signed(Fraction(x.carry_over_ore, 100), 2),
                                              ref=x.carry_over_reference or "", total=kroner2(x.cost_ore + x.carry_over_ore)))
    share = share_text(x.group_share)
    written = x.splits[0].text if x.splits else share
    if written != share and len(x.splits) == 1:
        share = f"«{written}» = {share}"
    steps.append(L["x_group"].format(group=x.group_title, share=share, exact=_approx(x.group_quota)))
    if x.group_rounding_ore:
        steps.append(L["x_group_rounded"].format(unit=unit_text(e.group_unit_ore, L), amount=kroner2(x.group_amount_ore),
                                                 diff=signed(x.group_rounding_ore / 100, 2)))
    else:
        steps.append(L["x_group_whole"].format(amount=kroner2(x.group_amount_ore)))
    if x.how == "fee":
        steps.append(L["x_fee"].format(group=x.group_title, fee=kroner2(x.fee_ore_per_month),
                                       year_fee=kroner2(x.fee_ore_per_month * MONTHS),
                                       members=format_decimal(x.entities, 0)))
        steps.append(L["x_fee_split"].format(pool_amount=kroner2(x.group_amount_ore), share=kroner2(x.fee_share_ore),
                                             quota=ore_fraction(x.quota), approx=_approx(x.quota)))
        steps.append(L["x_paid"].format(amount=kroner2(x.amount_ore), adj=signed(x.adjustment_ore)))
        return steps
    if x.how == "entity":
        steps.append(L["x_entity"].format(who=who, amount=kroner2(x.amount_ore)))
        return steps
    for s in x.splits[1:]:
        label = f", «{s.label}»" if s.label else ""
        steps.append(L["x_step"].format(text=f"«{s.text}»", share=share_text(s.share), label=label,
                                        line=s.line or "?"))
    if len(x.splits) > 1:
        steps.append(L["x_leg"].format(amount=kroner2(x.leg_amount_ore), exact=_approx(x.leg_quota)))
    among = L["x_among"].format(among=x.among) if x.among else ""
    steps.append(L["x_key"].format(key=x.key, n=x.entities, among=among, who=who, weight=number(x.weight),
                                   total=number(x.weight_total)))
    steps.append(L["x_quota"].format(leg=kroner2(x.leg_amount_ore), weight=number(x.weight),
                                     total=number(x.weight_total), quota=ore_fraction(x.quota),
                                     approx=_approx(x.quota)))
    steps.append(L["x_paid"].format(amount=kroner2(x.amount_ore), adj=signed(x.adjustment_ore)))
    return steps


def _carry_steps(x: Line, who: str, L) -> list[str]:
    steps = [L["x_carry"].format(group=x.group_title, amount=signed(Fraction(x.carry_over_ore, 100), 2),
                                 ref=x.carry_over_reference or "")]
    if x.key is not None:
        steps.append(L["x_carry_key"].format(key=x.key, n=x.entities, who=who, weight=number(x.weight),
                                             total=number(x.weight_total), quota=ore_fraction(x.quota),
                                             approx=_approx(x.quota)))
    steps.append(L["x_paid"].format(amount=kroner2(x.amount_ore), adj=signed(x.adjustment_ore)))
    return steps


def _approx(ore: Fraction) -> str:
    """Exact øre shown as kroner: to the øre when exact, else with four decimals (display only)."""
    kr = Fraction(ore) / 100
    return format_decimal(kr, 2) if (kr * 100).denominator == 1 else format_decimal(kr, 4)
