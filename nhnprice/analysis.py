"""What an editor asks of a spec: its problems, its names, and what each name computes.

`analyse(text, path, datasets)` compiles the text held in an editor (never a file on
disk, never writing one) and evaluates it at group level against its data; the
`Analysis` it returns answers the language server's questions (nhnprice/lsp.py):
which name is at a position, where it is declared and used, what to show on hover,
what to complete, the outline, and the edits of a rename. Positions are 1-based lines
and columns in characters, as in every `Span`.

`DataSets` keeps the data sets a spec reads, each until its file changes, so that an
analysis after a keystroke reads no data.
"""

from __future__ import annotations

import os
import re
from types import MappingProxyType

import attrs

from nhnprice import nodes as n
from nhnprice.diagnostics import Diagnostic, has_errors
from nhnprice.evaluate import Result, evaluate
from nhnprice.graph import Graph
from nhnprice.numbers import format_number, kroner, mill_exact
from nhnprice.pipeline import _declaration, compile_text_and_nodes, expectation_diagnostics, load_dataset
from nhnprice.record import Record, frozen
from nhnprice.span import Span
from nhnprice.words import grammar_words

#: which kind of name a field of a node refers to (a `Name` in any other field is looked up by its text)
_USES = MappingProxyType({"group": "group", "by": "dataset", "among": "dataset", "register": "dataset",
                          "members": "parameter", "count_of": "dataset", "parameter": "parameter",
                          "dataset": "dataset", "pools": "pool"})
_DECLARES = MappingProxyType({n.Pool: "pool", n.Group: "group", n.Dataset: "dataset", n.Parameter: "parameter"})
NAME = re.compile(r"[^\W\d]\w*")

#: the words of a hover: (English, bokmål)
_HOVER = MappingProxyType({
    "pool": ("pool", "pott"), "group": ("group", "gruppe"), "key": ("key", "nøkkel"),
    "register": ("register", "register"), "parameter": ("parameter", "parameter"), "cost": ("cost", "kostnad"),
    "unallocated": ("left unallocated by rounding", "ikke fordelt etter avrunding"),
    "distributed by": ("distributed by", "fordeles etter"),
    "fee": ("fee {fee} kr per member per month, {members} members: collects {collected} mill. "
            "of a share of {share} mill.",
            "avgift {fee} kr per medlem per måned, {members} medlemmer: krever inn {collected} mill. "
            "av en andel på {share} mill."),
    "pays": ("pays {total} mill. in all", "betaler {total} mill. i alt"), "file": ("file", "fil"),
    "entities": ("entities", "enheter"), "members": ("members", "medlemmer"),
    "total weight": ("total weight", "samlet vekt"), "value": ("value", "verdi"),
    "official": ("official", "offisiell"), "proxy": ("proxy", "stedfortreder"), "synthetic": ("synthetic", "syntetisk"),
    "no amounts": ("(amounts when the spec and its data have no errors)",
                   "(beløpene vises når spesifikasjonen og dataene er uten feil)"),
})


@frozen
class Symbol(Record):
    """A declared name: a pool, group, key, register or parameter."""

    kind: str  # pool | group | key | register | parameter
    name: str
    span: Span  # the name where it is declared
    node: object = attrs.field(eq=False, repr=False)  # its declaration
    section: str | None = None  # the section a pool stands in

    @property
    def namespace(self) -> str:
        return "dataset" if self.kind in ("key", "register") else self.kind


@frozen
class OutlineItem(Record):
    name: str
    kind: str  # section | pool | group | key | register | parameter | expect
    detail: str | None
    span: Span  # the whole statement
    selection: Span  # its name or heading
    children: tuple[OutlineItem, ...] = ()


class DataSets:
    """The data sets of the specs being edited, each read once and kept until its file changes."""

    def __init__(self):
        self._tables: dict[tuple, tuple] = {}

    def load(self, graph: Graph) -> tuple[dict, list[Diagnostic]]:
        tables, diagnostics = {}, []
        for name, node in graph.datasets.items():
            try:
                stat = os.stat(node.path)
                stamp = (stat.st_mtime_ns, stat.st_size)
            except OSError:
                stamp = None
            key = (_declaration(node), node.path, graph.year)
            kept = self._tables.get(key)
            if kept is not None and stamp is not None and kept[0] == stamp:
                table, found = kept[1], kept[2]
            else:
                table, found = load_dataset(node, None, graph.year)
                # kept only when what it says points into the data file: a place in the spec moves with edits
                if all(d.span is None or d.span.file == node.path for d in found):
                    self._tables[key] = (stamp, table, found)
            diagnostics += found
            if table is not None:
                tables[name] = table
        return tables, diagnostics


def analyse(text: str, path: str, datasets: DataSets | None = None) -> Analysis:
    """Compile `text` as the spec `path` and evaluate it at group level (what the amounts of
    pools and groups and the `expect` lines need; no entity is apportioned)."""
    spec, graph, diagnostics = compile_text_and_nodes(text, path)
    result = None
    if graph is not None:
        tables, found = (datasets or DataSets()).load(graph)
        diagnostics += found
        if not has_errors(found):
            result, found = evaluate(graph, tables, entities=False)
            diagnostics += found
            if result is not None:
                diagnostics += expectation_diagnostics(result)
    return Analysis(text, path, spec, graph, result, diagnostics)


class Analysis:
    def __init__(self, text: str, path: str, spec: n.Spec | None, graph: Graph | None,
                 result: Result | None, diagnostics: list[Diagnostic]):
        self.text, self.path, self.spec, self.graph, self.result = text, path, spec, graph, result
        self.diagnostics = diagnostics
        self.symbols: dict[tuple[str, str], Symbol] = {}  # (namespace, name) -> declaration
        self.uses: list[tuple[str | None, n.Name]] = []  # (namespace or None when unknown, the name as used)
        if spec is not None:
            for statement in spec.statements:
                self._walk(statement, None)

    # ---- the index of names
    def _walk(self, node, section: str | None) -> None:
        kind = _DECLARES.get(type(node))
        if kind is not None:
            shown = node.kind if isinstance(node, n.Dataset) else kind
            symbol = Symbol(shown, node.name.text, node.name.span, node, section)
            self.symbols.setdefault((symbol.namespace, symbol.name), symbol)
        if isinstance(node, n.Section):
            section = node.heading
        for field in attrs.fields(type(node)):
            value = getattr(node, field.name)
            if field.name == "name" and isinstance(value, n.Name):
                if isinstance(node, n.ParameterRef):
                    self.uses.append(("parameter", value))
                continue  # a declaration (or a category's own name)
            self._values(field.name, value, section)

    def _values(self, field: str, value, section: str | None) -> None:
        if isinstance(value, n.Name):
            self.uses.append((_USES.get(field), value))
        elif isinstance(value, tuple):
            for item in value:
                self._values(field, item, section)
        elif attrs.has(type(value)) and not isinstance(value, Span):
            self._walk(value, section)

    def _resolve(self, namespace: str | None, name: str) -> Symbol | None:
        if namespace is not None:
            return self.symbols.get((namespace, name))
        return next((s for (_, text), s in self.symbols.items() if text == name), None)

    def symbol_at(self, line: int, col: int) -> Symbol | None:
        """The declared name at a position, where it is declared or used."""
        for symbol in self.symbols.values():
            if _inside(symbol.span, line, col):
                return symbol
        for namespace, name in self.uses:
            if name.span is not None and _inside(name.span, line, col):
                return self._resolve(namespace, name.text)
        return None

    def references(self, symbol: Symbol, declaration: bool = True) -> list[Span]:
        """Where `symbol` is used (and declared), in source order."""
        spans = [symbol.span] if declaration else []
        spans += [name.span for namespace, name in self.uses
                  if name.text == symbol.name and name.span is not None
                  and self._resolve(namespace, name.text) == symbol]
        return sorted(spans, key=lambda s: (s.line, s.col))

    def rename(self, symbol: Symbol, new_name: str) -> tuple[list[Span], str | None]:
        """The places to rewrite, or why `new_name` cannot be the name."""
        if not NAME.fullmatch(new_name):
            return [], f"`{new_name}` is not a name: a letter, then letters, digits or `_`"
        if new_name in grammar_words():
            return [], f"`{new_name}` is a word of the language"
        if new_name != symbol.name and any(text == new_name for (_, text) in self.symbols):
            return [], f"`{new_name}` is already declared"
        return self.references(symbol), None

    # ---- hover
    def hover(self, symbol: Symbol, lang: str = "en") -> str:
        """Markdown: what the name is, where it comes from in the regulation, what it computes;
        in English or in bokmål (`lang="nb"`)."""
        words = {key: both[lang == "nb"] for key, both in _HOVER.items()}
        node = symbol.node
        head = f"**{words[symbol.kind]} `{symbol.name}`**"
        title = getattr(node, "title", None) or getattr(node, "description", None)
        lines = [f"{head}: {title}" if title else head]
        lines += getattr(self, f"_hover_{symbol.namespace}")(node, words)
        return "\n\n".join(line for line in lines if line)

    def _hover_pool(self, pool: n.Pool, words) -> list[str]:
        out = [pool.reference and f"*{pool.reference}*", pool.note]
        if self.result is None:
            return out + [words["no amounts"]]
        result = next((p for p in self.result.pools if p.id == pool.name.text), None)
        if result is not None:
            out.append(f"{words['cost']} {mill_exact(result.cost_ore)} mill.")
            paid = [f"- {g.group}: {mill_exact(g.amount_ore)} mill." for g in self.result.groups
                    if g.pool == pool.name.text]
            out.append("\n".join(paid))
            if result.residual_ore:
                out.append(f"{words['unallocated']}: {mill_exact(result.residual_ore)} mill.")
        return out

    def _hover_group(self, group: n.Group, words) -> list[str]:
        graph_group = self.graph.groups.get(group.name.text) if self.graph else None
        out = []
        if graph_group is not None and graph_group.key:
            out.append(f"{words['distributed by']} `{graph_group.key}`")
        if self.result is None:
            return out + [words["no amounts"]]
        for fee in (f for f in self.result.fees if f.group == group.name.text):
            out.append(words["fee"].format(fee=kroner(fee.fee_ore_per_month), members=format_number(fee.members),
                                           collected=mill_exact(fee.collected_ore), share=mill_exact(fee.share_ore)))
        pays = [(g.pool, g.amount_ore) for g in self.result.groups if g.group == group.name.text]
        if pays:
            out.append(words["pays"].format(total=mill_exact(sum(a for _, a in pays))) + ":\n" +
                       "\n".join(f"- {pool}: {mill_exact(amount)} mill." for pool, amount in pays))
        return out

    def _hover_dataset(self, dataset: n.Dataset, words) -> list[str]:
        out = [dataset.file and f"{words['file']} `{dataset.file}`"]
        if dataset.provenance is not None:
            out.append(f"{words[dataset.provenance.status]}: {dataset.provenance.text}")
        table = self.result.tables.get(dataset.name.text) if self.result is not None else None
        if table is not None:
            size = f"{len(table.ids)} {words['entities' if dataset.kind == 'key' else 'members']}"
            if table.weights:
                size += f", {words['total weight']} {format_number(sum(table.weights.values()))}"
            out.append(size)
        return out

    def _hover_parameter(self, parameter: n.Parameter, words) -> list[str]:
        if self.result is None or parameter.name.text not in self.result.parameters:
            return []
        value = self.result.parameters[parameter.name.text]
        if parameter.kind == "percent":
            shown = f"{format_number(value * 100)} %"
        elif parameter.kind == "amount":
            shown = f"{mill_exact(int(value))} mill."
        else:
            shown = format_number(value)
        return [f"{words['value']} {shown}"]

    # ---- completion and outline
    def completions(self, before: str, after_space: bool = False) -> list[tuple[str, str, str | None]]:
        """(label, kind, detail) for what may be written after `before` (the line up to the cursor):
        after `by` a key, after `among` or `from` a register, after `in` a pool; elsewhere any
        declared name and the keywords (nothing when `after_space`: a space typed anywhere else
        asks for no list)."""
        words = re.findall(r"[\w-]+|,", before)
        if words and NAME.fullmatch(words[-1]) and not before.endswith((" ", "\t", ",")):
            words.pop()  # the word being written
        previous = words[-1] if words else None
        wanted = {"by": ("key",), "among": ("register",), "from": ("register",), "in": ("pool",)}.get(previous)
        if previous == "," and "in" in words:  # `in helsenettet, vkp`
            wanted = ("pool",)
        names = [(s.name, s.kind, getattr(s.node, "title", None)) for s in self.symbols.values()
                 if wanted is None or s.kind in wanted]
        if wanted:
            return names
        if after_space:
            return []
        return names + [(word, "keyword", None) for word in grammar_words()]

    def outline(self) -> list[OutlineItem]:
        if self.spec is None:
            return []
        return [item for statement in self.spec.statements for item in self._outline(statement)]

    def _outline(self, node) -> list[OutlineItem]:
        if isinstance(node, n.Section) and node.span is not None:
            children = tuple(item for child in node.items for item in self._outline(child))
            heading = Span(node.span.file, node.span.line, node.span.col, node.span.line, node.span.col + 7)
            return [OutlineItem(node.heading, "section", node.title, node.span, heading, children)]
        kind = _DECLARES.get(type(node))
        if kind is None or node.span is None or node.name.span is None:
            return []
        shown = node.kind if isinstance(node, n.Dataset) else kind
        detail = getattr(node, "title", None) or getattr(node, "description", None)
        return [OutlineItem(node.name.text, shown, detail, node.span, node.name.span)]


def _inside(span: Span, line: int, col: int) -> bool:
    end_line = span.end_line or span.line
    end_col = span.end_col or span.col + 1
    return (span.line, span.col) <= (line, col) <= (end_line, end_col)

