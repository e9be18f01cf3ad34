"""An explanation in plain words: the total first, then each line's path from cost to invoice."""

from __future__ import annotations

from fractions import Fraction
from html import escape

from nhnprice.explain import Explanation, Line
from nhnprice.numbers import MONTHS, ORE_PER_MILL, format_decimal, kroner2, mill_exact
from nhnprice.record import Record, frozen
from nhnprice.report import status_text
from nhnprice.report.html_page import page, table
from nhnprice.report.labels import labels

#: what `nhnprice explain --format` offers: this module's text, or explain_json's JSON
FORMATS = ("text", "html", "json")


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


def as_written(text: str, L) -> str:
    """A share as the spec writes it, quoted: `«1/3»`; a keyword (`half`, `equally`, `rest`) in the
    report's own words: `halvparten`."""
    return L.get("kw_" + text) or f"«{text}»"


def unit_text(unit_ore: int, L) -> str:
    """The group rounding unit as the regulation would say it: `0,1 mill. kroner`."""
    if unit_ore % (ORE_PER_MILL // 1000) == 0:
        return L["x_mill"].format(mill=mill_exact(unit_ore))
    return L["x_kr"].format(kr=kroner2(unit_ore))


@frozen
class Story(Record):
    """An explanation in words, for any format: the opening sentence, the lines with their amounts,
    how each is computed (its heading, amount and steps), and the data it rests on."""

    intro: str
    lines_intro: str
    lines: tuple[tuple[str, str], ...]  # (heading, amount in kroner)
    how: str
    steps: tuple[tuple[str, str, tuple[str, ...]], ...]  # (heading, amount, steps)
    data: str
    sources: tuple[str, ...]


def story(e: Explanation, lang: str = "nb") -> Story:
    L = labels(lang)
    who = f"{e.name} ({e.entity})" if e.name else e.entity
    sources = []
    for s in e.sources:
        flag = f" ({L['x_unofficial']})" if s.status != "official" else ""
        title = f" «{s.title}»" if s.title else ""
        sources.append(f"{s.name}{title}: {s.path}, {s.rows} {L['rows']}; {status_text(s.status, L)}{flag}"
                       + (f": {s.text}" if s.text else "") + (f" ({s.date})" if s.date else ""))
    return Story(
        L["x_intro"].format(who=who, total=kroner2(e.total_ore), year=e.year, title=e.title, spec=e.spec),
        L["x_lines" if len(e.lines) != 1 else "x_line"].format(n=len(e.lines)),
        tuple((_heading(x, L), kroner2(x.amount_ore)) for x in e.lines), L["x_how"],
        tuple((_heading(x, L), kroner2(x.amount_ore), tuple(_steps(x, e, who, L))) for x in e.lines),
        L["x_data"] if e.sources else "", tuple(sources))


def render(e: Explanation, result, lang: str = "nb") -> str:
    s = story(e, lang)
    out = [s.intro, "", s.lines_intro]
    width = max(len(heading) for heading, _ in s.lines)
    out += [f"  {heading.ljust(width)}  {amount.rjust(16)} kr" for heading, amount in s.lines]
    out += ["", s.how]
    for i, (heading, amount, steps) in enumerate(s.steps, start=1):
        out += ["", f"{i}. {heading}: {amount} kr"] + [f"   - {step}" for step in steps]
    out += ["", s.data] if s.sources else []
    out += [f"  - {source}" for source in s.sources]
    return "\n".join(out) + "\n"


def html_parts(e: Explanation, lang: str = "nb", level: int = 2) -> list[str]:
    """The explanation as HTML, for a page of its own or a payer's page of the site."""
    L = labels(lang)
    s = story(e, lang)
    h = f"h{level}"
    parts = [f"<p>{escape(s.intro)}</p>",
             table(s.lines_intro, [L["pool"], L["amount_kr"]], [(heading, [amount]) for heading, amount in s.lines]),
             f"<{h}>{escape(s.how)}</{h}>", "<ol class=steps>"]
    for heading, amount, steps in s.steps:
        parts.append(f"<li><strong>{escape(heading)}: {escape(amount)} kr</strong><ul>"
                     + "".join(f"<li>{escape(step)}</li>" for step in steps) + "</ul></li>")
    parts.append("</ol>")
    if s.sources:
        parts += [f"<{h}>{escape(s.data)}</{h}>", "<ul>" + "".join(f"<li>{escape(x)}</li>" for x in s.sources)
                  + "</ul>"]
    return parts


def render_html(e: Explanation, result, lang: str = "nb") -> str:
    """`explain --format html`: one self-contained page."""
    who = f"{e.name} ({e.entity})" if e.name else e.entity
    return page(f"{who}: {e.title}", lang, [f"<h1>{escape(who)}</h1>"] + html_parts(e, lang))


def _heading(x: Line, L) -> str:
    if x.how == "carry":
        return L["x_carry_label"] + (f" ({x.reference})" if x.reference else "")
    ref = f", {x.reference}" if x.reference else ""
    return f"{x.pool_title}{ref}" + ("" if x.how != "key" or not x.splits or len(x.splits) < 2
                                    else f" ({x.splits[-1].label or x.splits[-1].text})")


def _steps(x: Line, e: Explanation, who: str, L) -> list[str]:
    if x.how == "carry":
        return _carry_steps(x, who, L)
    if x.how == "within":
        parent = f"{x.parent_name} ({x.among})" if x.parent_name else x.among
        return [L["x_within"].format(parent=parent, amount=kroner2(x.leg_amount_ore), key=x.key, n=x.entities,
                                     who=who, weight=number(x.weight), total=number(x.weight_total)),
                L["x_quota"].format(leg=kroner2(x.leg_amount_ore), weight=number(x.weight),
                                    total=number(x.weight_total), quota=ore_fraction(x.quota), approx=_approx(x.quota)),
                L["x_paid"].format(amount=kroner2(x.amount_ore), adj=signed(x.adjustment_ore))]
    steps = []
    if x.cost_before_adjustment_ore is not None:
        steps.append(L["x_adjusted"].format(
            before=kroner2(x.cost_before_adjustment_ore), pct=share_text(x.price_factor - 1),
            factor=number(x.price_factor), cost=kroner2(x.cost_ore)))
    else:
        steps.append(L["x_cost"].format(cost=kroner2(x.cost_ore)))
    stated_cost = x.cost_ore if x.cost_before_adjustment_ore is None else x.cost_before_adjustment_ore
    if x.carry_over_ore:
        steps.append(L["x_pool_carry"].format(amount=signed(Fraction(x.carry_over_ore, 100), 2),
                                              ref=x.carry_over_reference or "", total=kroner2(stated_cost + x.carry_over_ore)))
    share = share_text(x.group_share)
    written = x.splits[0].text if x.splits else share
    if written != share and len(x.splits) == 1:
        share = f"{as_written(written, L)} = {share}"
    steps.append(L["x_group"].format(group=x.group_title, share=share, exact=_approx(x.group_quota)))
    stated = x.group_amount_ore if x.group_stated_ore is None else x.group_stated_ore
    if x.group_rounding_ore:
        steps.append(L["x_group_rounded"].format(unit=unit_text(e.group_unit_ore, L), amount=kroner2(stated),
                                                 diff=signed(x.group_rounding_ore / 100, 2)))
    else:
        steps.append(L["x_group_whole"].format(amount=kroner2(stated)))
    if x.group_stated_ore is not None:
        steps.append(L["x_group_adjusted"].format(pct=share_text(x.price_factor - 1), stated=kroner2(stated),
                                                  factor=number(x.price_factor), exact=_approx(x.group_adjusted_exact),
                                                  unit=unit_text(e.group_unit_ore, L), amount=kroner2(x.group_amount_ore)))
    if x.how == "fee":
        if x.fee_stated_ore_per_month is not None:
            steps.append(L["x_fee_adjusted"].format(stated=kroner2(x.fee_stated_ore_per_month),
                                                    factor=number(x.price_factor), fee=kroner2(x.fee_ore_per_month)))
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
        steps.append(L["x_step"].format(text=as_written(s.text, L), share=share_text(s.share), label=label,
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
    if x.within is not None:
        steps.append(L["x_within_parent"].format(who=who, key=x.within))
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
