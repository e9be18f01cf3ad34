"""`report --format site -o DIR`: a static site with a page for every payer.

One page per entity of every group that is not a flat-fee group (each
municipality, health authority, pharmacy, ...) and one per category of each
flat-fee group, each saying what it pays, pool by pool, and why (the
`explain` text, with the regulation's § references); an index with the
summary links to them all. What a municipality's finance officer would send
a link to. The pages load nothing from anywhere, link to each other with
relative links, and open from a folder, a file share or any web server.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from html import escape

from nhnprice.explain import explain
from nhnprice.report import data_notice
from nhnprice.report.explain_text import html_parts
from nhnprice.report.html_page import page
from nhnprice.report.html_report import summary_table
from nhnprice.report.labels import labels
from nhnprice.report.table import fee_lines

#: the file that marks a folder as a site written by nhnprice, which a new one may replace
MARKER = ".nhnprice-site"


def file_name(entity: str) -> str:
    """A page's file name for an id: the id itself when it is a plain one (`0301`), else a digest."""
    if re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z_-]{0,63}", entity):
        return f"{entity}.html"
    return "e" + hashlib.sha256(entity.encode()).hexdigest()[:16] + ".html"


def pages(result, lang: str = "nb") -> dict[str, str]:
    """Every page of the site: its path relative to the site's folder -> its HTML."""
    L = labels(lang)
    g = result.graph
    rows: dict[str, list] = {}
    members: dict[str, dict[str, str]] = {}  # group -> entity -> name, in the report's order
    for a in result.allocations:
        rows.setdefault(a.entity, []).append(a)
        names = members.setdefault(a.group, {})
        if not names.get(a.entity):
            names[a.entity] = a.name
    back = f'<nav class=crumbs><a href="../index.html">{escape(L["site_back"])}</a></nav>'
    out: dict[str, str] = {}
    index = [f"<h1>{escape(g.title)}</h1>", f"<p>{escape(L['site_intro'])}</p>"]
    notice = data_notice(result, L)
    if notice:
        index.append(f'<aside class=notice><p>{escape(L["notice"])}</p><ul>'
                     + "".join(f"<li>{escape(n)}</li>" for n in notice) + "</ul></aside>")
    index += [f'<h2>{escape(L["summary"])}</h2>', summary_table(result, L)]
    fee_text = {}
    for depth, text in fee_lines(result, L):
        if depth == 1:
            current = text
            fee_text[current] = []
        else:
            fee_text[current].append(text)
    fees = {f.group: f for f in result.fees}
    for gid, grp in g.groups.items():
        entities = members.get(gid, {})
        if not entities:
            continue
        links = []
        if grp.pays_fee:  # one page per category: every member of it pays the same fee
            fee = fees[gid]
            categories = [(c.id, c.title) for c in fee.categories] or [("alle", grp.title)]
            line = next(text for text in fee_text if text.startswith(grp.title))
            example = next(iter(entities))
            for cid, title in categories:
                path = f"{gid}/{file_name(cid)}"
                body = [back, f"<h1>{escape(title)}</h1>", f"<p>{escape(line)}</p>",
                        "<ul>" + "".join(f"<li>{escape(x)}</li>" for x in fee_text[line]) + "</ul>",
                        f"<h2>{escape(L['site_example'].format(who=f'{entities[example]} ({example})'))}</h2>"]
                body += html_parts(explain(result, example, rows=rows[example]), lang, level=3)
                out[path] = page(f"{title}: {g.title}", lang, body)
                links.append((path, title))
        else:
            for entity, name in entities.items():
                path = f"{gid}/{file_name(entity)}"
                who = f"{name} ({entity})" if name else entity
                body = [back, f"<h1>{escape(who)}</h1>", f"<p>{escape(grp.title)}</p>"]
                body += html_parts(explain(result, entity, rows=rows[entity]), lang)
                out[path] = page(f"{who}: {g.title}", lang, body)
                links.append((path, f"{entity} {name}".strip()))
        index.append(f"<h2>{escape(grp.title)}</h2><p>{escape(L['site_pages'].format(n=len(links)))}</p>"
                     "<ul class=columns>" + "".join(f'<li><a href="{escape(path)}">{escape(text)}</a></li>'
                                                    for path, text in links) + "</ul>")
    out["index.html"] = page(g.title, lang, index)
    return out


def write_site(result, directory: str, lang: str = "nb") -> int:
    """Write the site into `directory` (made, or replaced when it holds a site written before);
    the pages go to a folder beside it first, so that a failure leaves nothing half-written.
    Returns how many pages were written. Raises FileExistsError for a folder that is not ours."""
    directory = os.path.abspath(directory)
    if os.path.exists(directory) and (not os.path.isdir(directory) or (
            os.listdir(directory) and not os.path.exists(os.path.join(directory, MARKER)))):
        raise FileExistsError(f"{directory} exists and is not a site nhnprice wrote: give a new or empty folder")
    made = pages(result, lang)
    parent = os.path.dirname(directory)
    staging = tempfile.mkdtemp(dir=parent, prefix=".nhnprice-site-")
    try:
        for path, html in made.items():
            target = os.path.join(staging, path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as f:
                f.write(html)
        with open(os.path.join(staging, MARKER), "w", encoding="utf-8") as f:
            f.write("written by nhnprice report --format site; a new run replaces this folder\n")
        os.chmod(staging, 0o755)
        if os.path.exists(directory):
            old = tempfile.mkdtemp(dir=parent, prefix=".nhnprice-old-")
            os.rename(directory, os.path.join(old, "site"))
            os.rename(staging, directory)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return len(made)
