"""One self-contained HTML page: the summary tables, a Sankey diagram of the
money's flow from pools to payer groups (inline SVG), and a searchable table
of every paying entity.

The page loads nothing from anywhere: styles, picture and the few lines of
script that filter the entity table are all inline, so it opens offline and
can be mailed as one file. Geometry is computed from the exact amounts with
Fractions and written with two decimals; no money is computed here.
"""

from __future__ import annotations

from fractions import Fraction
from html import escape

from nhnprice.evaluate import CARRY_OVER
from nhnprice.numbers import format_decimal, kroner2, mill
from nhnprice.report import data_notice, provenance_line
from nhnprice.report.html_page import page, table
from nhnprice.report.labels import labels
from nhnprice.report.summary import amount_cells, columns, entity_rows, mill_text, summary_rows
from nhnprice.report.table import adjustment_lines, fee_lines, parameter_lines, residual_lines, within_lines

#: the entity table stops here, so that the page stays small enough to open and mail; the CSV has every row
MAX_ENTITY_ROWS = 20_000

#: one colour per payer group, in declaration order (colour-blind-safe palette, Okabe–Ito)
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")

SCRIPT = """
(function(){
var q=document.getElementById('q'),rows=document.querySelectorAll('#entities tbody tr'),
count=document.getElementById('count'),text=[];
for(var i=0;i<rows.length;i++)text.push(rows[i].textContent.toLowerCase());
function filter(){var s=q.value.trim().toLowerCase(),n=0;
for(var i=0;i<rows.length;i++){var hit=!s||text[i].indexOf(s)>=0;rows[i].hidden=!hit;if(hit)n++;}
count.textContent=n+' / '+rows.length;document.body.classList.toggle('filtered',!!s);}
q.addEventListener('input',filter);filter();
})();
"""


def _n(value: Fraction | int) -> str:
    """A coordinate with two decimals."""
    return format_decimal(Fraction(value), 2, ".", "")


def summary_table(result, L) -> str:
    groups = columns(result)
    adjusted = result.price_factor != 1
    header = [L["pool"]] + ([L["before"]] if adjusted else []) + [L["cost"]] + \
        [g.title + (" *" if g.outside else "") for g in groups]
    rows, kinds = [], []
    for r in summary_rows(result, L["sum"], L["total"], L["carry"]):
        kinds.append(r.kind)
        if r.kind == "section":
            rows.append((r.label, []))
            continue
        before = [mill_text(r.kind, r.before_ore)] if adjusted else []
        cost = mill_text(r.kind, r.cost_ore)
        rows.append((r.label, before + [cost] + amount_cells(r, lambda v, kind=r.kind: mill_text(kind, v))))
    return table(f"{L['summary']}: {L['unit'][0].lower()}{L['unit'][1:]}", header, rows, row_class=kinds)


#: a generous width of one character of the labels, in the wide diagram's units (its font is 14 units)
_CHAR_WIDTH = 9
#: the wide diagram's labels, in its units; it is shown from 900 px up, where it is at least 750 px
#: wide, so that a label is never under 10 px
WIDE_FONT = 14
#: the narrow diagram (phones): 360 units wide, shown at 300 px or more, labels 13 units (≥ 10,8 px)
NARROW_WIDTH, NARROW_FONT = 360, 13


def _flows(result):
    """(pool, group, amount) of every positive flow; the pools and groups that have one."""
    g = result.graph
    flows = [(a.pool, a.group, a.amount_ore) for a in result.groups if a.amount_ore > 0]
    pools = [p for p in g.pools if any(f[0] == p.id for f in flows)]
    groups = [grp for grp in columns(result) if any(f[1] == grp.id for f in flows)]
    return flows, pools, groups


def _colours(result) -> dict[str, str]:
    return {grp.id: PALETTE[i % len(PALETTE)] for i, grp in enumerate(columns(result))}


def sankey(result, L) -> str:
    """Both pictures of the flows: the wide Sankey diagram, and the narrow one for phones."""
    flows, pools, groups = _flows(result)
    if not flows:
        return ""
    return wide_sankey(result, L, flows, pools, groups) + "\n" + narrow_bars(result, L, flows, pools, groups)


def wide_sankey(result, L, flows, pools, groups, height: int = 560) -> str:
    """Pools on the left, payer groups on the right, one band per pool and group, thickness by amount.
    A pool's bands leave it in the order of the groups, and a group's bands arrive in the order of the
    pools, so that no two bands from one pool, or into one group, cross."""
    colour = _colours(result)
    total = sum(f[2] for f in flows)
    # wide enough for the longest label on each side (a pool's or group's title and its amount)
    longest_left = max(len(p.title) for p in pools) + 8
    longest_right = max(len(grp.title) for grp in groups) + 8
    gap, node_w, top = 14, 16, 10
    left_x = max(270, 12 + _CHAR_WIDTH * longest_left)
    right_margin = max(230, 12 + node_w + _CHAR_WIDTH * longest_right)
    width = left_x + node_w + 440 + right_margin
    right_x = width - right_margin
    usable = height - 2 * top - gap * (max(len(pools), len(groups)) - 1)
    scale = Fraction(usable, total)
    pool_order = {p.id: i for i, p in enumerate(pools)}
    group_order = {grp.id: i for i, grp in enumerate(groups)}

    def stack(items, amount_of):
        y, out = Fraction(top), {}
        for item in items:
            h = amount_of(item) * scale
            out[item] = (y, h)
            y += h + gap
        return out

    left = stack([p.id for p in pools], lambda pid: sum(f[2] for f in flows if f[0] == pid))
    right = stack([grp.id for grp in groups], lambda gid: sum(f[2] for f in flows if f[1] == gid))
    out_y = {k: v[0] for k, v in left.items()}
    in_y = {k: v[0] for k, v in right.items()}
    start: dict[tuple[str, str], Fraction] = {}
    for pool, group, amount in sorted(flows, key=lambda f: (pool_order[f[0]], group_order[f[1]])):
        start[pool, group] = out_y[pool]
        out_y[pool] += amount * scale
    end: dict[tuple[str, str], Fraction] = {}
    for pool, group, amount in sorted(flows, key=lambda f: (group_order[f[1]], pool_order[f[0]])):
        end[pool, group] = in_y[group]
        in_y[group] += amount * scale
    titles = {p.id: p.title for p in pools}
    group_titles = {grp.id: grp.title for grp in groups}
    parts = [f'<svg class=wide viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{escape(L["flows"])}" style="font-size:{WIDE_FONT}px">']
    x0, x1 = left_x + node_w, right_x
    mid = Fraction(x0 + x1, 2)
    for pool, group, amount in flows:
        t = amount * scale
        y0, y1 = start[pool, group], end[pool, group]
        d = (f"M{_n(x0)},{_n(y0)} C{_n(mid)},{_n(y0)} {_n(mid)},{_n(y1)} {_n(x1)},{_n(y1)} "
             f"L{_n(x1)},{_n(y1 + t)} C{_n(mid)},{_n(y1 + t)} {_n(mid)},{_n(y0 + t)} {_n(x0)},{_n(y0 + t)} Z")
        tip = f"{titles[pool]} → {group_titles[group]}: {mill(amount)} {L['mill_short']}"
        parts.append(f'<path class=flow d="{d}" fill="{colour[group]}"><title>{escape(tip)}</title></path>')
    for pid, (y, h) in left.items():
        amount = sum(f[2] for f in flows if f[0] == pid)
        parts += _node(left_x, y, h, node_w, "#555", f"{titles[pid]} {mill(amount)}", left_x - 6, "end")
    for gid, (y, h) in right.items():
        amount = sum(f[2] for f in flows if f[1] == gid)
        parts += _node(right_x, y, h, node_w, colour[gid], f"{group_titles[gid]} {mill(amount)}",
                       right_x + node_w + 6, "start")
    parts.append("</svg>")
    return "\n".join(parts)


def narrow_bars(result, L, flows, pools, groups) -> str:
    """The flows on a phone: a key of the payer groups' colours, then one bar per pool, its title and
    cost above it, split into what each group pays (in the order of the groups, so the colours line up)."""
    colour = _colours(result)
    font, bar, gap = NARROW_FONT, 16, 12
    parts, y = [], 0
    for grp in groups:
        amount = sum(f[2] for f in flows if f[1] == grp.id)
        parts.append(f'<rect x="0" y="{y + 3}" width="12" height="12" fill="{colour[grp.id]}"/>'
                     f'<text x="18" y="{y + font}">{escape(grp.title)} {mill(amount)}</text>')
        y += font + 8
    y += gap
    for p in pools:
        mine = [f for f in flows if f[0] == p.id]
        cost = sum(f[2] for f in mine)
        parts.append(f'<text x="0" y="{y + font}">{escape(p.title)} {mill(cost)}</text>')
        y += font + 4
        x = Fraction(0)
        for _, group, amount in sorted(mine, key=lambda f: [grp.id for grp in groups].index(f[1])):
            w = Fraction(NARROW_WIDTH * amount, cost)
            tip = f"{p.title} → {result.graph.groups[group].title}: {mill(amount)} {L['mill_short']}"
            parts.append(f'<rect x="{_n(x)}" y="{y}" width="{_n(w)}" height="{bar}" fill="{colour[group]}">'
                         f'<title>{escape(tip)}</title></rect>')
            x += w
        y += bar + gap
    return (f'<svg class=narrow viewBox="0 0 {NARROW_WIDTH} {y}" width="100%" role="img" '
            f'aria-label="{escape(L["flows"])}" style="font-size:{font}px">' + "\n".join(parts) + "</svg>")


def _node(x: int, y: Fraction, h: Fraction, width: int, fill: str, label: str, label_x: int,
          anchor: str) -> list[str]:
    """A bar of the diagram (at least 1 unit tall, so that small amounts stay visible) and its label."""
    return [f'<rect x="{x}" y="{_n(y)}" width="{width}" height="{_n(max(h, Fraction(1)))}" fill="{fill}">'
            f'<title>{escape(label)}</title></rect>',
            f'<text x="{label_x}" y="{_n(y + h / 2 + 5)}" text-anchor="{anchor}">{escape(label)}</text>']


def entity_table(result, L) -> str:
    """Every paying entity, one row per entity and group: its amount per pool and its total, in kroner."""
    g = result.graph
    pools = [(p.id, p.title) for p in g.pools]
    if any(block.pool == CARRY_OVER for block in result.blocks):
        pools.append((CARRY_OVER, L["carry"]))
    head = "".join(["<th scope=col>" + escape(h) + "</th>" for h in (L["entity_id"], L["name"], L["group"])]
                   + ["<th scope=col class=n>" + escape(h) + "</th>" for h in [t for _, t in pools] + [L["sum"]]])
    body = []
    groups = entity_rows(result, [pid for pid, _ in pools])
    left_out = max(0, sum(len(entities) for _, entities, _, _ in groups) - MAX_ENTITY_ROWS)
    cell = {None: "<td class=n></td>"}  # an amount's cell, made once per distinct amount (members' fees repeat)
    for group, entities, names, rows in groups:
        title = escape(g.groups[group].title)
        for entity, name, amounts in zip(entities, names, rows):
            if len(body) == MAX_ENTITY_ROWS:
                break
            total = sum(v for v in amounts if v is not None)
            for v in amounts + (total,):
                if v not in cell:
                    cell[v] = f"<td class=n>{kroner2(v)}</td>"
            body.append(f"<tr><th scope=row>{escape(entity)}</th><td>{escape(name)}</td><td>{title}</td>"
                        + "".join([cell[v] for v in amounts]) + cell[total] + "</tr>")
    more = f'<p class=more>{escape(L["more_rows"].format(n=left_out))}</p>' if left_out else ""
    return (f'<p><input type=search id=q placeholder="{escape(L["search"])}" aria-label="{escape(L["search"])}">'
            f'<span id=count></span></p>\n<div class=scroll><table id=entities><caption>{escape(L["entities"])}: '
            f'{escape(L["entity_unit"].lower())}</caption><thead><tr>{head}</tr></thead><tbody>\n'
            + "\n".join(body) + f"\n</tbody></table></div>{more}")


def render(result, lang: str = "nb", **_options) -> str:
    L = labels(lang)
    g = result.graph
    parts = [f'<h1>{escape(g.title)}</h1>\n<p>{escape(L["generated"])} <code>{escape(g.file)}</code>. '
             f'{escape(L["unit"])}.</p>']
    for line in parameter_lines(result, L):
        if line:
            parts.append(f"<p>{escape(line)}</p>")
    notice = data_notice(result, L)
    if notice:
        parts.append(f'<aside class=notice><p>{escape(L["notice"])}</p><ul>'
                     + "".join(f"<li>{escape(n)}</li>" for n in notice) + "</ul></aside>")
    parts += [f'<h2>{escape(L["summary"])}</h2>', summary_table(result, L)]
    if any(grp.outside for grp in g.groups.values()):
        parts.append(f"<p>* {escape(L['outside'])}</p>")
    parts += [f"<p>{escape(line)}</p>" for line in residual_lines(result, L) + adjustment_lines(result, L)]
    if result.fees:
        parts.append(f"<h2>{escape(L['fees'])}</h2><ul>")
        parts += [f'<li class=d{depth}>{escape(text)}</li>' for depth, text in fee_lines(result, L)]
        parts.append("</ul>")
    within = within_lines(result, L)
    if within:
        parts.append(f"<h2>{escape(within[0])}</h2><ul>")
        parts += [f'<li class=d{1 + line.startswith("    ")}>{escape(line.strip())}</li>' for line in within[1:]]
        parts.append("</ul>")
    parts += [f'<h2>{escape(L["flows"])}</h2>', f"<figure>{sankey(result, L)}"
              f'<figcaption>{escape(L["flows_caption"])}</figcaption></figure>']
    parts += [f'<section class=entities><h2>{escape(L["entities"])}</h2>', entity_table(result, L), "</section>",
              f'<p class=print-only>{escape(L["print_entities"])}</p>']
    parts.append(f'<h2>{escape(L["data"])}</h2><ul>')
    for name, node in g.datasets.items():
        table_ = result.tables[name]
        where = table_.path + (f' "{table_.sheet}"' if table_.sheet else "")
        text = f"{name}: {provenance_line(node, L)}; {len(table_)} {L['rows']}, {where}"
        parts.append(f"<li>{escape(text)}" + "".join(f"<br>{escape(note)}" for note in table_.notes) + "</li>")
    parts.append("</ul>")
    return page(g.title, lang, parts, SCRIPT)
