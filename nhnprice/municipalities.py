"""Municipality numbers checked against the spec's year, and carried from 2020–2023 numbering to 2024.

A data set of `entities municipalities` may only hold numbers of the year's
division; a key must also give every municipality of it a weight, exactly
once. A file in the 2020–2023 numbering (declared with `numbering 2023`, or
recognised because every number in it is one of 2020–2023 and some are not
of 2024) is mapped to 2024 with the renumbering table. That is one number for
another everywhere except Ålesund: 1507 became 1508 Ålesund and 1580 Haram,
and how its figure divides is a policy choice the data set must declare
(`split "1507" by population` or `split "1507" into "1508" 89 %, "1580" 11 %`);
without one it is refused.
"""

from __future__ import annotations

from fractions import Fraction

import attrs

from nhnprice.diagnostics import Diagnostic, error, warning
from nhnprice.record import Record, frozen
from nhnprice.reference import NEW_NUMBERING, OLD_NUMBERING, division, division_2020, division_2024, renumbering
from nhnprice.sheet import Declared
from nhnprice.span import Span

Weights = dict[str, Fraction | int]


def _listing(numbers: list[str], names: dict[str, str], limit: int = 8) -> str:
    shown = ", ".join(f"{m} {names.get(m, '')}".strip() for m in numbers[:limit])
    return shown + (f" and {len(numbers) - limit} more" if len(numbers) > limit else "")


@frozen
class SplitRule(Record):
    """Where the figure of a municipality split in a renumbering goes: `by population` or `into` parts."""

    old: str
    method: str  # population | into
    parts: tuple[tuple[str, Fraction | None], ...] = ()
    span: Span | None = attrs.field(default=None, eq=False, repr=False, kw_only=True)


def _split_parts(rule: SplitRule, targets: tuple[tuple[str, str], ...]) -> list[tuple[str, Fraction | None]]:
    """The 2024 numbers a split municipality's figure goes to, with the fraction each takes."""
    if rule.method == "into":
        return list(rule.parts)
    population = division_2024().population
    total = sum(population[t] for t, _ in targets)
    return [(t, Fraction(population[t], total)) for t, _ in targets]


def _renumber(node: Declared, rows: dict[str, Span], weights: Weights, names: dict[str, str]):
    """2020–2023 numbers to 2024's: new rows, weights and names, a note for the report, and problems."""
    table = renumbering()
    new_names = division_2024().names
    rules = {s.old: s for s in node.splits}
    out: list[Diagnostic] = []
    new_rows: dict[str, Span] = {}
    new_weights: Weights = {}
    renamed: dict[str, str] = {}
    changed, split = 0, []
    for old, span in rows.items():
        targets = table.get(old)
        if targets is None:
            out.append(error("D011", f"`{old}` is not a municipality number of {OLD_NUMBERING[0]}–{OLD_NUMBERING[1]}",
                             span, "the data set declares `numbering` of those years"))
            continue
        if len(targets) == 1:
            parts: list[tuple[str, Fraction | None]] = [(targets[0][0], Fraction(1))]
        elif old in rules:
            parts = _split_parts(rules[old], targets)
            split.append(f"{old} split {'by population' if rules[old].method == 'population' else 'as declared'} "
                         f"into {', '.join(t for t, _ in parts)}")
        else:
            became = " and ".join(f"{t} {name}" for t, name in targets)
            out.append(error(
                "D014", f"`{old}` ({names.get(old) or division_2020().names.get(old, '')}) was split on "
                f"1 January {NEW_NUMBERING} into {became}, and the data set does not say how its figure divides",
                span, f'declare `split "{old}" by population` (population on 1 January {NEW_NUMBERING}) or '
                f'`split "{old}" into {", ".join(f"{chr(34)}{t}{chr(34)} N %" for t, _ in targets)}` '
                f"in `{node.name}` (`--split {old}` for `nhnprice data check`); nhnprice does not guess"))
            continue
        changed += parts[0][0] != old
        for new, fraction in parts:
            if new in new_rows:
                out.append(error("D007", f"`{old}` and an earlier row both become `{new}` in {NEW_NUMBERING}",
                                 span, f"first at row {new_rows[new].line}; each municipality must appear once"))
                continue
            new_rows[new] = span
            if old in weights:
                value = weights[old] * (fraction if fraction is not None else 1)
                new_weights[new] = int(value) if Fraction(value).denominator == 1 else value
            renamed[new] = new_names.get(new, names.get(old, ""))
    note = (f"renumbered from {OLD_NUMBERING[0]}–{OLD_NUMBERING[1]} municipality numbers to {NEW_NUMBERING}'s: "
            f"{changed} number{'s' * (changed != 1)} changed" + "".join(f"; {s}" for s in split))
    return new_rows, new_weights, renamed, note, out


def check_municipalities(node: Declared, year: int | None, rows: dict[str, Span], weights: Weights,
                         names: dict[str, str], header: Span):
    """`(rows, weights, names, notes)` after renumbering, and the problems with the numbers.

    `rows` maps each id to where it is in the file (after renumbering: where the number it came
    from is); `header` is the id column's header cell.
    """
    path = header.file
    out: list[Diagnostic] = []
    notes: tuple[str, ...] = ()
    div = division(year) if year is not None else None
    if div is None:
        return (rows, weights, names, notes), out
    old, new = division_2020().names, division_2024().names
    numbering = node.numbering
    if div.year >= NEW_NUMBERING and numbering is None and rows and all(i in old for i in rows) \
            and any(i not in new for i in rows):
        example = next(i for i in rows if i not in new)
        out.append(warning("D015", f"{path} uses the {OLD_NUMBERING[0]}–{OLD_NUMBERING[1]} municipality numbers "
                           f"(e.g. {example} {old[example]}); they are mapped to {NEW_NUMBERING}'s",
                           rows[example],
                           f"declare `numbering {OLD_NUMBERING[1]}` in `{node.name}` to say so "
                           f"(`--numbering {OLD_NUMBERING[1]}` for `nhnprice data check`)"))
        numbering = OLD_NUMBERING[1]
    if div.year >= NEW_NUMBERING and numbering is not None and numbering < NEW_NUMBERING:
        rows, weights, names, note, found = _renumber(node, rows, weights, names)
        out += found
        notes = (note,)
        if found:
            return None, out
    for ident, span in rows.items():
        if ident not in div.names:
            hint = None
            if div.year >= NEW_NUMBERING and ident in old:
                targets = " and ".join(t for t, _ in renumbering()[ident])
                hint = (f"`{ident}` was {old[ident]} until {OLD_NUMBERING[1]}, and is {targets} from {NEW_NUMBERING}; "
                        f"if the file uses the old numbers, declare `numbering {OLD_NUMBERING[1]}`")
            out.append(error("D011", f"`{ident}` is not a municipality number of {year}", span,
                             hint or f"a municipality number of {year} is one of the {len(div.names)} of that "
                             "year's division (SSB's classification 131)"))
    if node.kind == "key" and not out:
        missing = [m for m in sorted(div.names) if m not in rows]
        if missing:
            out.append(error(
                "D012", f"key `{node.name}` has no weight for {len(missing)} of the {len(div.names)} "
                f"municipalities of {year}: {_listing(missing, div.names)}", header,
                "a municipal key must give every municipality of the year a weight, exactly once "
                "(0 for one that pays nothing)"))
    if any(d.is_error for d in out):
        return None, out
    return (rows, weights, names, notes), out
