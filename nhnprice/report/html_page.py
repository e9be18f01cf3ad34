"""The frame every HTML page of nhnprice shares: one self-contained page that
fits a phone, a desktop and A4 paper.

- Nothing is loaded from anywhere: styles and script are inline.
- No page-level sideways scrolling from 360 px up: a wide table scrolls
  inside its own box (`div.scroll`), long words break.
- Tables have a caption, column headers and row headers (`th scope`).
- Printed: A4 landscape, table headers repeated on every page, the search
  box and other screen-only parts left out.
"""

from __future__ import annotations

from html import escape

STYLE = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem auto;max-width:72rem;padding:0 1rem;
color:#1a1a1a;line-height:1.4}
h1,h2,p,li,figcaption,caption{overflow-wrap:anywhere}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}
div.scroll{overflow-x:auto;max-width:100%;margin:.5rem 0}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:600;padding:.2rem 0;caption-side:top}
th,td{padding:.2rem .45rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:bottom}
thead th{background:#f4f4f4}tbody th{font-weight:normal}
.n{text-align:right;white-space:nowrap}tbody th{min-width:8rem}thead th.n{white-space:normal;min-width:4.5rem}
tr.section th{font-weight:600;background:#fafafa}tr.sum th,tr.sum td,tr.total th,tr.total td{font-weight:600}
tr.total th,tr.total td{border-top:2px solid #333}
aside.notice{border-left:4px solid #E69F00;background:#fff8e6;padding:.5rem 1rem}
figure{margin:1rem 0}svg{display:block;height:auto}svg.narrow{max-width:34rem}svg text{fill:#1a1a1a}
svg path.flow{fill-opacity:.45}svg path.flow:hover{fill-opacity:.75}
input[type=search]{font-size:1rem;padding:.3rem .5rem;width:24rem;max-width:100%}
#count{margin-left:1rem;color:#555}li.d2{margin-left:1.5rem;list-style:circle}
ol.steps li{margin:.2rem 0}.print-only{display:none}
nav.crumbs{font-size:.9rem}nav.crumbs a{margin-right:.5rem}
ul.columns{columns:16rem}
@media (max-width:899px){.wide{display:none}}
@media (min-width:900px){.narrow{display:none}}
@page{size:A4 landscape;margin:12mm}
@media print{
body{margin:0;max-width:none;font-size:9pt}
div.scroll{overflow:visible}thead{display:table-header-group}tr,figure{break-inside:avoid}
.narrow,.screen-only,input[type=search],#count{display:none}.wide{display:block}.print-only{display:block}
body:not(.filtered) .entities{display:none}
a{color:inherit;text-decoration:none}
}
"""


def cell(text: str, numeric: bool = False, tag: str = "td", scope: str | None = None) -> str:
    attrs = (" class=n" if numeric else "") + (f" scope={scope}" if scope else "")
    return f"<{tag}{attrs}>{escape(text)}</{tag}>"


def table(caption: str, header: list[str], rows: list[tuple[str, list[str]]], numeric_from: int = 1,
          table_id: str | None = None, row_class: list[str] | None = None) -> str:
    """A table in its own scrolling box: a caption, column headers, and per row a row header and its cells.

    `rows` is (row header, cells); a row with no cells is a heading across the table."""
    head = "".join(cell(h, i >= numeric_from, "th", "col") for i, h in enumerate(header))
    body = []
    for i, (label, cells) in enumerate(rows):
        kind = f" class={row_class[i]}" if row_class and row_class[i] else ""
        if not cells:
            body.append(f"<tr{kind}><th scope=rowgroup colspan={len(header)}>{escape(label)}</th></tr>")
            continue
        body.append(f"<tr{kind}>" + cell(label, tag="th", scope="row")
                    + "".join(cell(c, j + 1 >= numeric_from) for j, c in enumerate(cells)) + "</tr>")
    ident = f" id={table_id}" if table_id else ""
    return (f"<div class=scroll><table{ident}><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
            "<tbody>\n" + "\n".join(body) + "\n</tbody></table></div>")


def page(title: str, lang: str, body: list[str], script: str = "") -> str:
    """A whole page: `body` is HTML already; `title` is text."""
    return (f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n'
            + "\n".join(body) + (f"\n<script>{script}</script>" if script else "") + "\n</body>\n</html>\n")
