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
from nhnprice.numbers import format_decimal, kroner2, mill, mill_exact
from nhnprice.report import data_notice, provenance_line
from nhnprice.report.labels import labels
from nhnprice.report.summary import columns, summary_rows
from nhnprice.report.table import fee_lines, parameter_lines

#: the entity table stops here, so that the page stays small enough to open and mail; the CSV has every row
MAX_ENTITY_ROWS = 20_000

#: one colour per payer group, in declaration order (colour-blind-safe palette, Okabe–Ito)
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;
color:#1a1a1a;line-height:1.4}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;font-variant-numeric:tabular-nums;margin:.5rem 0}
th,td{padding:.2rem .6rem;border-bottom:1px solid #ddd}th{text-align:left;background:#f4f4f4}
td.n,th.n{text-align:right;white-space:nowrap}
tr.section td{font-weight:600;background:#fafafa}tr.sum td,tr.total td{font-weight:600}
tr.total td{border-top:2px solid #333}
aside.notice{border-left:4px solid #E69F00;background:#fff8e6;padding:.5rem 1rem}
figure{margin:1rem 0}svg text{font-size:12px;fill:#1a1a1a}
svg path.flow{fill-opacity:.45}svg path.flow:hover{fill-opacity:.75}
input[type=search]{font-size:1rem;padding:.3rem .5rem;width:24rem;max-width:100%}
#count{margin-left:1rem;color:#555}li.d2{margin-left:1.5rem;list-style:circle}
"""

SCRIPT = """
(function(){
var q=document.getElementById('q'),rows=document.querySelectorAll('#entities tbody tr'),
count=document.getElementById('count'),text=[];
for(var i=0;i<rows.length;i++)text.push(rows[i].textContent.toLowerCase());
function filter(){var s=q.value.trim().toLowerCase(),n=0;
for(var i=0;i<rows.length;i++){var hit=!s||text[i].indexOf(s)>=0;rows[i].hidden=!hit;if(hit)n++;}
count.textContent=n+' / '+rows.length;}
q.addEventListener('input',filter);filter();
})();
"""


def _n(value: Fraction | int) -> str:
    """A coordinate with two decimals."""
    return format_decimal(Fraction(value), 2, ".", "")


def _cell(text: str, numeric: bool = False, tag: str = "td") -> str:
    return f'<{tag}{" class=n" if numeric else ""}>{escape(text)}</{tag}>'


def summary_table(result, L) -> str:
    groups = columns(result)
    adjusted = result.price_factor != 1
    head = [_cell(L["pool"], tag="th")] + ([_cell(L["before"], True, "th")] if adjusted else []) + \
        [_cell(L["cost"], True, "th")] + [_cell(g.title + (" *" if g.outside else ""), True, "th") for g in groups]
    body = []
    for r in summary_rows(result, L["sum"], L["total"], L["carry"]):
        if r.kind == "section":
            body.append(f'<tr class=section><td colspan={len(head)}>{escape(r.label)}</td></tr>')
            continue
        before = [_cell(mill(r.before_ore) if r.before_ore is not None else "", True)] if adjusted else []
        cost = mill_exact(r.cost_ore) if r.kind == "carry" else mill(r.cost_ore)
        cells = [_cell(r.label)] + before + [_cell(cost, True)] + \
            [_cell("" if v is None else mill(v), True) for v in r.amounts]
        body.append(f'<tr class={r.kind}>' + "".join(cells) + "</tr>")
    return (f"<table class=summary><thead><tr>{''.join(head)}</tr></thead><tbody>\n"
            + "\n".join(body) + "\n</tbody></table>")


#: a generous width of one character of the labels, in the diagram's units (its font is about 16 units)
_CHAR_WIDTH = 9


def sankey(result, L, height: int = 560) -> str:
    """Pools on the left, payer groups on the right, one band per pool and group, thickness by amount."""
    g = result.graph
    flows = [(a.pool, a.group, a.amount_ore) for a in result.groups if a.amount_ore > 0]
    if not flows:
        return ""
    pools = [p for p in g.pools if any(f[0] == p.id for f in flows)]
    groups = [grp for grp in columns(result) if any(f[1] == grp.id for f in flows)]
    colour = {grp.id: PALETTE[i % len(PALETTE)] for i, grp in enumerate(columns(result))}
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
    titles = {p.id: p.title for p in pools}
    group_titles = {grp.id: grp.title for grp in groups}
    parts = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{escape(L["flows"])}">']
    x0, x1 = left_x + node_w, right_x
    mid = Fraction(x0 + x1, 2)
    for pool, group, amount in flows:
        t = amount * scale
        y0, y1 = out_y[pool], in_y[group]
        out_y[pool] += t
        in_y[group] += t
        d = (f"M{_n(x0)},{_n(y0)} C{_n(mid)},{_n(y0)} {_n(mid)},{_n(y1)} {_n(x1)},{_n(y1)} "
             f"L{_n(x1)},{_n(y1 + t)} C{_n(mid)},{_n(y1 + t)} {_n(mid)},{_n(y0 + t)} {_n(x0)},{_n(y0 + t)} Z")
        tip = f"{titles[pool]} → {group_titles[group]}: {mill(amount)} mill. kr"
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


def _node(x: int, y: Fraction, h: Fraction, width: int, fill: str, label: str, label_x: int,
          anchor: str) -> list[str]:
    """A bar of the diagram (at least 1 unit tall, so that small amounts stay visible) and its label."""
    return [f'<rect x="{x}" y="{_n(y)}" width="{width}" height="{_n(max(h, Fraction(1)))}" fill="{fill}">'
            f'<title>{escape(label)}</title></rect>',
            f'<text x="{label_x}" y="{_n(y + h / 2 + 4)}" text-anchor="{anchor}">{escape(label)}</text>']


def entity_table(result, L) -> str:
    """Every paying entity, one row per entity and group: its amount per pool and its total, in kroner."""
    g = result.graph
    pools = [(p.id, p.title) for p in g.pools]
    if any(a.pool == CARRY_OVER for a in result.allocations):
        pools.append((CARRY_OVER, L["carry"]))
    index = {pid: i for i, (pid, _) in enumerate(pools)}
    rows: dict[tuple[str, str], list[int | None]] = {}
    names: dict[tuple[str, str], str] = {}
    for a in result.allocations:
        key = (a.group, a.entity)
        amounts = rows.setdefault(key, [None] * len(pools))
        amounts[index[a.pool]] = (amounts[index[a.pool]] or 0) + a.amount_ore
        names[key] = names.get(key) or a.name
    head = "".join([_cell(L["entity_id"], tag="th"), _cell(L["name"], tag="th"), _cell(L["group"], tag="th")]
                   + [_cell(title, True, "th") for _, title in pools] + [_cell(L["sum"], True, "th")])
    body = []
    left_out = max(0, len(rows) - MAX_ENTITY_ROWS)
    for (group, entity), amounts in list(rows.items())[:MAX_ENTITY_ROWS]:
        cells = [f"<td>{escape(entity)}</td><td>{escape(names[(group, entity)])}</td>"
                 f"<td>{escape(g.groups[group].title)}</td>"]
        cells += ["<td class=n></td>" if v is None else f"<td class=n>{kroner2(v)}</td>" for v in amounts]
        cells.append(f"<td class=n>{kroner2(sum(v or 0 for v in amounts))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    more = f'<p class=more>{escape(L["more_rows"].format(n=left_out))}</p>' if left_out else ""
    return (f'<p><input type=search id=q placeholder="{escape(L["search"])}" aria-label="{escape(L["search"])}">'
            f'<span id=count></span></p>\n<table id=entities><thead><tr>{head}</tr></thead><tbody>\n'
            + "\n".join(body) + f"\n</tbody></table>{more}")


def render(result, lang: str = "nb", **_options) -> str:
    L = labels(lang)
    g = result.graph
    parts = [f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
             f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
             f'<title>{escape(g.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n'
             f'<h1>{escape(g.title)}</h1>\n<p>{escape(L["generated"])} <code>{escape(g.file)}</code>. '
             f'{escape(L["unit"])}.</p>']
    for line in parameter_lines(result, L):
        if line:
            parts.append(f"<p>{escape(line)}</p>")
    notice = data_notice(result)
    if notice:
        parts.append(f'<aside class=notice><p>{escape(L["notice"])}</p><ul>'
                     + "".join(f"<li>{escape(n)}</li>" for n in notice) + "</ul></aside>")
    parts += [f'<h2>{escape(L["summary"])}</h2>', summary_table(result, L)]
    if any(grp.outside for grp in g.groups.values()):
        parts.append(f"<p>* {escape(L['outside'])}</p>")
    if result.fees:
        parts.append(f"<h2>{escape(L['fees'])}</h2><ul>")
        parts += [f'<li class=d{depth}>{escape(text)}</li>' for depth, text in fee_lines(result, L)]
        parts.append("</ul>")
    parts += [f'<h2>{escape(L["flows"])}</h2>', f"<figure>{sankey(result, L)}"
              f'<figcaption>{escape(L["flows_caption"])}</figcaption></figure>']
    parts += [f'<h2>{escape(L["entities"])}</h2>', entity_table(result, L)]
    parts.append(f'<h2>{escape(L["data"])}</h2><ul>')
    for name, node in g.datasets.items():
        table = result.tables[name]
        where = table.path + (f' "{table.sheet}"' if table.sheet else "")
        text = f"{name}: {provenance_line(node)}; {len(table)} {L['rows']}, {where}"
        parts.append(f"<li>{escape(text)}" + "".join(f"<br>{escape(note)}" for note in table.notes) + "</li>")
    parts.append(f"</ul>\n<script>{SCRIPT}</script>\n</body>\n</html>\n")
    return "\n".join(parts)
