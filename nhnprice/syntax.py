"""Text to nodes. The only module that imports lark.

`parse(text, file)` returns `(spec, diagnostics)`: a Spec when the text is
well formed, otherwise None and its syntax errors, every one (syntax_errors.py).

Lark builds the parser; once its tables are in nhnprice's cache, a spec is
parsed from them without loading Lark (`nhnprice.lalr`), and Lark is asked
again only for text that does not parse, to report what is wrong.
"""

from __future__ import annotations

import os
import re
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING

import attrs

from nhnprice import cache, lalr
from nhnprice import nodes as n
from nhnprice.diagnostics import Diagnostic, error
from nhnprice.files import Limits, Unreadable, read_bytes
from nhnprice.numbers import UNIT_ALIASES, UNIT_ORE, format_number, parse_number
from nhnprice.printer import format_share
from nhnprice.shipped import shipped_text
from nhnprice.span import Span
from nhnprice.syntax_errors import diagnose as diagnose_syntax

if TYPE_CHECKING:
    from pathlib import Path

    from lark import Lark, Token, Tree
    from lark.exceptions import UnexpectedInput


def grammar_text() -> str:
    """The grammar, from the installed package or, in a source tree, from grammar/."""
    return shipped_text("grammar/nhnprice.lark", "grammar/nhnprice.lark")


@lru_cache(maxsize=1)
def parser() -> Lark:
    # the compiler's door: Lark is imported only when the tables below are not in the cache
    from lark import Lark
    from lark import __version__ as lark_version
    from lark.grammar import Rule
    from lark.lexer import TerminalDef

    text = grammar_text()
    options = dict(propagate_positions=True)
    # Building the LALR tables takes longer than everything else a `check` does, so they are kept
    # in nhnprice's cache (cache.py) as plain data, under a key made from the grammar.
    name = cache.key("parser", lark_version, text)
    saved = cache.get(name, _is_parser_data)
    if saved is not None:
        try:
            return Lark._load_from_dict(saved["data"], saved["memo"], **options)
        except Exception:  # tables of another Lark: build them afresh
            pass
    lark = Lark(text, parser="lalr", lexer="contextual", maybe_placeholders=False, **options)
    data, memo = lark.memo_serialize([TerminalDef, Rule])
    data["options"] = {k: v for k, v in data["options"].items() if k not in options}  # not data
    cache.put(name, {"data": data, "memo": memo})
    return lark


def _is_parser_data(value) -> bool:
    return type(value) is dict and type(value.get("data")) is dict and type(value.get("memo")) is dict


@lru_cache(maxsize=1)
def _tables() -> lalr.Tables | None:
    """The parser's tables for `nhnprice.lalr`, from the cache or made by Lark and stored there;
    None when caching is off (Lark parses then)."""
    from importlib.util import find_spec

    if cache.directory() is None:
        return None
    lark_spec = find_spec("lark")  # the Lark that made them: its location and modification time
    stamp = f"{lark_spec.origin}:{os.stat(lark_spec.origin).st_mtime_ns}" if lark_spec and lark_spec.origin else ""
    name = cache.key("lalr", grammar_text(), stamp, str(lalr.FORMAT))
    data = cache.get(name, lambda value: type(value) is dict and value.get("format") == lalr.FORMAT)
    if data is not None:
        try:
            return lalr.Tables(data)
        except Exception:  # tables of another shape: make them again
            pass
    data = lalr.tables_from_lark(parser())
    cache.put(name, data)
    return lalr.Tables(data)


#: control characters a spec may not hold: all of C0 and C1 but tab, line feed, carriage return
#: and form feed (which the grammar reads as white space), and DEL
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")

#: what the lexer would read as a quoted text or a comment: the only tokens with `"` or `#` in them,
#: so scanning for both from the start finds each comment the grammar ignores, as the lexer does
_STRING_OR_COMMENT = re.compile(r'"[^"\n]*"|#[^\n]*')


def _comments(text: str) -> tuple[n.Comment, ...]:
    """Comments as trivia: where each is, whether it has a line of its own, whether a blank line follows.

    Read from the text of a parse that succeeded, so that each parse has its own (the grammar
    ignores comments; a lexer callback would have to share one list between all parses)."""
    lines = text.split("\n")  # as the lexer counts lines: only a newline ends one
    out = []
    line, line_start = 1, 0
    for match in _STRING_OR_COMMENT.finditer(text):
        if match.group().startswith('"'):
            continue
        line += text.count("\n", line_start, match.start())
        line_start = text.rfind("\n", 0, match.start()) + 1
        column = match.start() - line_start + 1
        before = lines[line - 1][: column - 1]
        after = lines[line] if line < len(lines) else None
        above = lines[line - 2] if line >= 2 else None
        out.append(n.Comment(match.group().rstrip(), line, own_line=not before.strip(),
                             blank_after=after is not None and not after.strip(),
                             blank_before=above is not None and not above.strip()))
    return tuple(out)


def _tok_span(file: str, tok: Token) -> Span:
    return Span(file, tok.line, tok.column, tok.end_line, tok.end_column)


def _meta_span(file: str, meta) -> Span | None:
    if getattr(meta, "empty", True):
        return None
    return Span(file, meta.line, meta.column, meta.end_line, meta.end_column)


def _number_text(value: Fraction) -> str:
    return format_number(value)


def _expr(item) -> n.Expr:
    """A factor of a computed share: a percent or a fraction arrives as a Share."""
    if isinstance(item, n.Share):
        if item.value is None:
            raise ValueError("a fraction cannot divide by zero")
        return n.Number(item.value, format_share(item), span=item.span)
    return item


def _unquote(tok: Token) -> str:
    return str(tok)[1:-1]


def _is_token(item) -> bool:
    """A terminal (Lark's Token or `lalr.Token`), not a node or a keyword's text."""
    return isinstance(item, str) and hasattr(item, "type")


class _ToNodes:
    """The node of each rule, from where its text is (`meta`) and its children: called by
    `lalr.parse` as it reduces, or on Lark's tree after Lark parsed (`_lark_nodes`)."""

    def __init__(self, file: str):
        self.path = file
        self.problems: list[Diagnostic] = []

    def _fields(self, items, meta) -> dict:
        """`(key, value, ...)` pairs into a dict; a field given twice is an error, not the last one winning."""
        fields: dict = {}
        for key, value, *_ in items:
            if key in fields:
                span = getattr(value, "span", None) or self._span(meta)
                self.problems.append(error("E004", f"`{key.replace('_', ' ')}` is given twice", span,
                                           "keep one of them"))
            fields[key] = value
        return fields

    def _name(self, tok: Token) -> n.Name:
        return n.Name(str(tok), span=_tok_span(self.path, tok))

    def _span(self, meta) -> Span | None:
        return _meta_span(self.path, meta)

    # ---- top level
    def start(self, meta, items):
        return n.Spec(self.path, tuple(items))

    def title(self, meta, items):
        return n.Setting("title", _unquote(items[0]), span=self._span(meta))

    def source(self, meta, items):
        return n.Setting("source", _unquote(items[0]), span=self._span(meta))

    def year(self, meta, items):
        return n.Setting("year", int(items[0]), span=self._span(meta))

    def rounding(self, meta, items):
        level, amount = items
        return n.Setting(f"rounding_{level}", amount, span=self._span(meta))

    def parameter(self, meta, items):
        name, value, *rest = items
        description = _unquote(rest[0]) if rest else None
        span = self._span(meta)
        if isinstance(value, n.Share):
            return n.Parameter(self._name(name), "percent", value.value, description, span=span)
        if isinstance(value, n.Amount):
            return n.Parameter(self._name(name), "amount", value, description, span=span)
        if isinstance(value, n.Name):  # count(REGISTER)
            return n.Parameter(self._name(name), "count", None, description, count_of=value, span=span)
        return n.Parameter(self._name(name), "count", value, description, span=span)

    def count(self, meta, items):
        return parse_number(str(items[0]))

    def count_of(self, meta, items):
        return self._name(items[0])

    def adjust(self, meta, items):
        return n.Adjust(self._name(items[0]), items[1] if len(items) > 1 else None, span=self._span(meta))

    def adjust_margin(self, meta, items):
        return self.margin(meta, items)[1]

    def carry_over(self, meta, items):
        _, amount, reference = items
        return ("carry_over", n.CarryOver(amount, _unquote(reference), span=self._span(meta)))

    # ---- keyword choices (`!rule` in the grammar): the word itself
    def _word(self, meta, items):
        return str(items[0])

    rounding_level = dataset_kind = entity_kind = provenance_status = sign = unit = _word

    # ---- amounts and shares
    def amount(self, meta, items):
        sign = 1
        if len(items) == 3:
            sign = -1 if items[0] == "-" else 1
            items = items[1:]
        number, unit_word = items
        unit = UNIT_ALIASES[unit_word]
        return n.Amount(sign * parse_number(str(number)) * UNIT_ORE[unit], unit, span=self._span(meta))

    def percent(self, meta, items):
        return n.Share("percent", parse_number(str(items[0])) / 100, span=self._span(meta))

    def share(self, meta, items):
        return items[0]

    def fraction(self, meta, items):
        num, den = str(items[0]).split("/")
        span = self._span(meta)
        if int(den) == 0:
            # Division by zero is a spec error: keep the node, the checker reports it.
            return n.Share("fraction", None, span=span)
        return n.Share("fraction", Fraction(int(num), int(den)), span=span)

    def computed(self, meta, items):
        return n.Share("computed", None, _expr(items[0]), span=self._span(meta))

    def _binop(op):
        def build(self, meta, items):
            return n.BinOp(op, _expr(items[0]), _expr(items[1]), span=self._span(meta))
        return build

    add, sub, mul, div = _binop("+"), _binop("-"), _binop("*"), _binop("/")

    def number(self, meta, items):
        value = parse_number(str(items[0]))
        return n.Number(value, _number_text(value), span=self._span(meta))

    def parameter_ref(self, meta, items):
        return n.ParameterRef(self._name(items[0]), span=self._span(meta))

    def count_expr(self, meta, items):
        return n.Aggregate("count", self._name(items[0]), span=self._span(meta))

    def sum_expr(self, meta, items):
        return n.Aggregate("sum", self._name(items[0]), self._column(items[1]), span=self._span(meta))

    def half(self, meta, items):
        return n.Share("half", Fraction(1, 2), span=self._span(meta))

    def equally(self, meta, items):
        return n.Share("equally", None, span=self._span(meta))

    def rest(self, meta, items):
        return n.Share("rest", None, span=self._span(meta))

    # ---- data sets
    def dataset(self, meta, items):
        kind, name, *rest = items
        title = None
        if rest and _is_token(rest[0]) and rest[0].type == "STRING":
            title = _unquote(rest.pop(0))
        splits = tuple(value for key, value, _ in rest if key == "split")
        rest = [item for item in rest if item[0] != "split"]
        fields = self._fields(rest, meta)
        spans = {key: span for key, _, span in rest}
        if "file" in spans:
            fields["file_span"] = spans["file"]
        lines = {key: span.line for key, span in spans.items() if span is not None}
        return n.Dataset(str(kind), self._name(name), title, splits=splits, span=self._span(meta),
                         field_lines=lines, **fields)

    def _column(self, tok: Token) -> str:
        return _unquote(tok) if tok.type == "STRING" else str(tok)

    def file(self, meta, items):
        return ("file", _unquote(items[0]), _tok_span(self.path, items[0]))

    def id_column(self, meta, items):
        return ("id_column", self._column(items[0]), self._span(meta))

    def name_column(self, meta, items):
        return ("name_column", self._column(items[0]), self._span(meta))

    def weight_column(self, meta, items):
        return ("weight_column", self._column(items[0]), self._span(meta))

    def parent_column(self, meta, items):
        return ("parent_column", self._column(items[0]), self._span(meta))

    def within(self, meta, items):
        return ("within", self._name(items[0]))

    def entities_field(self, meta, items):
        return ("entities", items[0], self._span(meta))

    def provenance(self, meta, items):
        status, text = items
        return ("provenance", n.Provenance(str(status), _unquote(text), span=self._span(meta)), self._span(meta))

    def reference_date(self, meta, items):
        return ("date", _unquote(items[0]), self._span(meta))

    def sheet(self, meta, items):
        return ("sheet", _unquote(items[0]), self._span(meta))

    def header_row(self, meta, items):
        return ("header_row", int(items[0]), self._span(meta))

    def last_row(self, meta, items):
        return ("last_row", int(items[0]), self._span(meta))

    def encoding(self, meta, items):
        return ("encoding", _unquote(items[0]), self._span(meta))

    def numbering(self, meta, items):
        return ("numbering", int(items[0]), self._span(meta))

    def split_by_population(self, meta, items):
        return ("split", n.Split(_unquote(items[0]), "population", span=self._span(meta)), None)

    def split_into(self, meta, items):
        old, *parts = items
        return ("split", n.Split(_unquote(old), "into", tuple(parts), span=self._span(meta)), None)

    def split_percent(self, meta, items):
        return self.percent(meta, items)

    def split_fraction(self, meta, items):
        return self.fraction(meta, items)

    def split_part(self, meta, items):
        share = items[1] if len(items) > 1 else None
        return n.SplitPart(_unquote(items[0]), share, span=self._span(meta))

    # ---- groups
    def group(self, meta, items):
        name, *rest = items
        title = None
        if rest and _is_token(rest[0]):
            title = _unquote(rest.pop(0))
        fields = self._fields(rest, meta)
        return n.Group(self._name(name), title, span=self._span(meta), **fields)

    def by_key(self, meta, items):
        return ("by", self._name(items[0]))

    def among(self, meta, items):
        if len(items) > 1:
            return ("among", self._name(items[0])), ("among_where", items[1])
        return ("among", self._name(items[0]))

    def register_filter(self, meta, items):
        return items[0]

    def derived_register(self, meta, items):
        kind, name, *rest = items
        title = _unquote(rest.pop(0)) if _is_token(rest[0]) and rest[0].type == "STRING" else None
        source, where = rest
        return n.Dataset(str(kind), self._name(name), title, source=self._name(source), where=where,
                         span=self._span(meta))

    def text_test(self, meta, items):
        column, op, value = items
        return n.Comparison(self._column(column), str(op), value, span=self._span(meta))

    def text_value(self, meta, items):
        word = str(items[0])
        return {"yes": True, "no": False}.get(word, _unquote(items[0]) if word.startswith('"') else word)

    def fee(self, meta, items):
        amount, register = items
        if isinstance(amount, n.Name):  # an amount parameter
            return ("fee", n.Fee(None, self._name(register), amount, span=self._span(meta)))
        return ("fee", n.Fee(amount, self._name(register), span=self._span(meta)))

    def fee_parameter(self, meta, items):
        return self._name(items[0])

    def cost_parameter(self, meta, items):
        return ("cost_parameter", self._name(items[0]))

    def categories(self, meta, items):
        return ("categories", tuple(items))

    def category(self, meta, items):
        name, *rest = items
        title = _unquote(rest.pop(0)) if _is_token(rest[0]) else None
        (price_kind, price), rule = rest
        return n.Category(self._name(name), title, rule=rule, span=self._span(meta), **{price_kind: price})

    def weight_price(self, meta, items):
        return ("weight", parse_number(str(items[0])))

    def addon_price(self, meta, items):
        return ("addon", items[1])

    def when(self, meta, items):
        return items[0]

    def otherwise(self, meta, items):
        return None

    def condition(self, meta, items):
        return tuple(items)

    def conjunction(self, meta, items):
        return tuple(items)

    def comparison(self, meta, items):
        if len(items) == 1:  # a text or yes/no test
            return items[0]
        column, op, number = items
        return n.Comparison(self._column(column), str(op), parse_number(str(number)), span=self._span(meta))

    def group_clause(self, meta, items):  # `carry-over`, the one clause without an alias
        return items[0]

    def solve(self, meta, items):
        return None

    def members(self, meta, items):
        return ("members", self._name(items[0]))

    def margin(self, meta, items):
        value = items[0]
        if isinstance(value, n.Share):
            return ("margin", n.Margin(percent=value.value, span=self._span(meta)))
        return ("margin", n.Margin(amount=value, span=self._span(meta)))

    def excess_policy(self, meta, items):
        reference = _unquote(items[0]) if items else None
        return ("excess", n.ExcessPolicy(reference, span=self._span(meta)))

    def outside(self, meta, items):
        return ("outside", True)

    def single_entity(self, meta, items):
        ident = _unquote(items[0])
        name = _unquote(items[1]) if len(items) > 1 else None
        return ("entity", (ident, name))

    # ---- sections, pools, entries
    def section(self, meta, items):
        heading, *rest = items
        title = None
        if rest and _is_token(rest[0]):
            title = _unquote(rest.pop(0))
        return n.Section(_unquote(heading), title, tuple(rest), span=self._span(meta))

    def pool(self, meta, items):
        name, *rest = items
        title = None
        if rest and _is_token(rest[0]):
            title = _unquote(rest.pop(0))
        entries = [item for item in rest if isinstance(item, n.Entry)]
        items = [i for i in rest if not isinstance(i, n.Entry)]
        fields = {"cost": None, **self._fields(items, meta)}
        lines = {key: extra[0].line for key, _, *extra in items if extra and extra[0] is not None}
        return n.Pool(self._name(name), title, entries=tuple(entries), span=self._span(meta),
                      field_lines=lines, **fields)

    def cost(self, meta, items):
        return ("cost", items[0])

    def reference(self, meta, items):
        return ("reference", _unquote(items[0]), self._span(meta))

    def note(self, meta, items):
        return ("note", _unquote(items[0]), self._span(meta))

    def entry(self, meta, items):
        group = None
        if _is_token(items[0]) and items[0].type == "NAME":
            group = self._name(items.pop(0))
        share = items.pop(0)
        flat = []
        for i in items:  # `among R where ...` gives two fields
            flat.extend(i if isinstance(i, tuple) and isinstance(i[0], tuple) else [i])
        fields = self._fields([("label", _unquote(i)) if _is_token(i) else i for i in flat], meta)
        return n.Entry(group, share, span=self._span(meta), **fields)

    def block(self, meta, items):
        return ("children", tuple(items))

    def distribution(self, meta, items):
        return items[0]

    # ---- expectations
    def expect(self, meta, items):
        target, amount, *rest = items
        pools: tuple = ()
        label = None
        for item in rest:
            if isinstance(item, tuple):
                pools = item
            else:
                label = _unquote(item)
        fields = target if isinstance(target, dict) else {"group": target}
        return n.Expect(amount=amount, pools=pools, label=label, span=self._span(meta), **fields)

    def group_target(self, meta, items):
        names = [self._name(t) for t in items]
        return {"group": names[0], "more": tuple(names[1:])}

    def fee_target(self, meta, items):
        return {"group": self._name(items[0]), "fee": True,
                "category": self._name(items[1]) if len(items) > 1 else None}

    def all_target(self, meta, items):
        return None

    def pool_list(self, meta, items):
        return tuple(self._name(t) for t in items)


#: how deeply a spec may nest (an expression of 150 terms, `a + b + ...`, nests 150 deep): every
#: pass walks the nodes recursively, and Python's stack has room for about a thousand calls
MAX_DEPTH = 150


def _too_deep(tree: Tree) -> Tree | None:
    """Where `tree` nests deeper than MAX_DEPTH (the outermost computed share on the way, or the
    node at the limit), or None. Walked without recursion."""
    from lark import Tree

    stack: list[tuple[Tree, int, Tree | None]] = [(tree, 1, None)]
    while stack:
        node, depth, share = stack.pop()
        if node.data == "computed" and share is None:
            share = node
        if depth > MAX_DEPTH:
            return share or node
        stack.extend((child, depth + 1, share) for child in node.children if isinstance(child, Tree))
    return None


def parse(text: str, file: str = "<spec>") -> tuple[n.Spec | None, list[Diagnostic]]:
    """Parse a spec. Never raises for bad input: returns diagnostics instead."""
    if text.startswith("\ufeff"):
        text = text[1:]
    control = _CONTROL.search(text)
    if control is not None:
        start = control.start()
        line, col = text.count("\n", 0, start) + 1, start - text.rfind("\n", 0, start)
        return None, [error("E005", f"the control character U+{ord(control.group()):04X} is not allowed in a spec",
                            Span(file, line, col, line, col + 1),
                            "remove it (it may come from a copy and paste); only tabs, line ends and "
                            "form feeds are allowed as white space")]
    tables = _tables()
    if tables is not None:
        to_nodes = _ToNodes(file)
        try:
            spec = lalr.parse(text, tables, lambda name, meta, items: getattr(to_nodes, name)(meta, items),
                              MAX_DEPTH)
        except Exception:  # noqa: BLE001 - a syntax error, a literal that cannot be read, nesting too
            pass  # deep (lalr.Mismatch) or damaged tables in the cache: Lark parses, and says what is wrong
        else:
            if to_nodes.problems:
                return None, to_nodes.problems
            return attrs.evolve(spec, comments=_comments(text)), []
    return _lark_parse(text, file)


class _LiteralError(Exception):
    """A literal the node builder could not read, and where it is."""

    def __init__(self, cause: Exception, meta):
        super().__init__(str(cause))
        self.cause, self.meta = cause, meta


def _lark_nodes(to_nodes: _ToNodes, tree):
    """What `to_nodes` makes of Lark's tree, bottom up, as a Lark transformer would (no deeper than
    MAX_DEPTH, checked before)."""
    from lark import Tree

    children = [_lark_nodes(to_nodes, c) if isinstance(c, Tree) else c for c in tree.children]
    build = getattr(to_nodes, tree.data, None)
    if build is None:
        return Tree(tree.data, children, tree.meta)
    try:
        return build(tree.meta, children)
    except _LiteralError:
        raise
    except Exception as exc:
        raise _LiteralError(exc, tree.meta) from exc


def _lark_parse(text: str, file: str) -> tuple[n.Spec | None, list[Diagnostic]]:
    from lark.exceptions import UnexpectedInput

    lark = parser()
    try:
        tree = lark.parse(text)
    except UnexpectedInput:
        return None, diagnose_syntax(lark, text, file)
    deep = _too_deep(tree)
    if deep is not None:
        span = _meta_span(file, deep.meta)
        return None, [error("E006", f"this expression is nested more than {MAX_DEPTH} levels deep", span,
                            "write it with fewer terms: a `parameter` can hold a percent or a count it adds up")]
    to_nodes = _ToNodes(file)
    try:
        spec = _lark_nodes(to_nodes, tree)
    except _LiteralError as exc:  # a literal the transformer could not read
        meta = exc.meta
        span = _meta_span(file, meta) if meta is not None else None
        return None, [error("E002", f"cannot read this literal: {exc.cause}", span)]
    if to_nodes.problems:
        return None, to_nodes.problems
    return attrs.evolve(spec, comments=_comments(text)), []


def parse_file(path: str | Path, raw: bytes | None = None) -> tuple[n.Spec | None, list[Diagnostic]]:
    """Parse the spec in `path`; `raw`, when given, is its content already read."""
    path = str(path)
    if raw is None:
        try:
            raw = read_bytes(path, Limits.from_env().file_mb, "spec file")
        except Unreadable as exc:
            return None, [error("E003", exc.message, hint=exc.hint)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        before = raw[raw.rfind(b"\n", 0, exc.start) + 1: exc.start]
        col = len(before.decode("utf-8", errors="replace")) + 1
        return None, [error("E003", f"{path} is not UTF-8 text: byte 0x{raw[exc.start]:02x} at line {line} "
                            "cannot be read", Span(path, line, col, line, col + 1),
                            "save the spec as UTF-8 (an editor's \"Save with encoding\")")]
    # line ends as a file opened as text would give them
    return parse(text.replace("\r\n", "\n").replace("\r", "\n"), path)
