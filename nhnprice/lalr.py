"""Parsing a spec with the tables Lark made for the grammar, without loading Lark.

A policy writer runs `nhnprice check` on every save, and most of what it cost
was Lark's, not the spec's: importing Lark, rebuilding its parser from its
cache and compiling a regular expression for each of the 48 lexer states a spec
passes through. The tables themselves are small data. So the first parse builds
the parser with Lark (`syntax.parser`), keeps its tables as JSON in nhnprice's
cache (data, never code: `tables_from_lark`) and later parses run here.

`parse` does what Lark does for a well-formed spec, and gives the node builder
the same arguments: Lark's contextual lexer (a state's terminals tried in Lark's
order; a keyword is taken for a name only where the grammar allows no keyword),
shift and reduce, the shape of the tree (`?rule` with one child, `!rule`,
`_rule`, aliases, punctuation left out) and the positions Lark propagates.
Anything else, a syntax error or a literal the builder refuses, raises
`Mismatch`: the caller then parses with Lark, which reports it as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable

FORMAT = 1  # of the stored tables; a new format is a new cache key
_SHIFT_END = "$END"


class Mismatch(Exception):
    """This text is not one this driver parses as Lark would: ask Lark."""


class Token(str):
    """A terminal as Lark's Token gives it: the text, its type, where it starts and ends."""

    __slots__ = ("type", "line", "column", "end_line", "end_column")

    def __new__(cls, type_: str, value: str, line: int, column: int, end_line: int, end_column: int):
        token = super().__new__(cls, value)
        token.type, token.line, token.column, token.end_line, token.end_column = \
            type_, line, column, end_line, end_column
        return token


class Meta:
    """Where a rule's text is, as Lark's `Tree.meta` (only what the node builder reads)."""

    __slots__ = ("empty", "line", "column", "end_line", "end_column")

    def __init__(self, where: tuple[int, int, int, int] | None):
        self.empty = where is None
        if where is not None:
            self.line, self.column, self.end_line, self.end_column = where


def tables_from_lark(lark) -> dict:
    """What `parse` needs of a Lark LALR parser with the contextual lexer, as JSON-able data."""
    conf = lark.lexer_conf
    table = lark.parser.parser.parser.parse_table
    terminals = sorted(conf.terminals, key=lambda t: (-t.priority, -t.pattern.max_width,
                                                      -len(t.pattern.value), t.name))  # Lark's order
    rules = {rule: i for i, rule in enumerate(lark.rules)}

    def action(entry) -> int:  # a shift to state s is s; a reduction by rule r is -1 - r
        kind, arg = entry
        return arg if kind.name == "Shift" else -1 - rules[arg]

    def fullmatch(regexp: str, text: str) -> bool:  # Lark's test for a keyword its name pattern also matches
        match = re.match(regexp, text, conf.g_regex_flags)
        return match is not None and match.group(0) == text

    literal = [t for t in terminals if t.pattern.type == "str"]
    return {
        "format": FORMAT,
        "terminals": [[t.name, t.pattern.to_regexp(), t.pattern.value if t.pattern.type == "str" and
                       not t.pattern.flags else None] for t in terminals],
        # for each regular-expression terminal, the literals it matches whole (`by` for NAME) and
        # whether each one is then left out of the state's scanner (its flags are no wider)
        "keywords": {t.name: [[s.name, s.pattern.flags <= t.pattern.flags] for s in literal
                              if s.priority == t.priority and fullmatch(t.pattern.to_regexp(), s.pattern.value)]
                     for t in terminals if t.pattern.type == "re"},
        "flags": conf.g_regex_flags,
        "ignore": list(conf.ignore),
        "states": [{symbol: action(entry) for symbol, entry in table.states[s].items()}
                   for s in range(len(table.states))],
        "start": table.start_states["start"],
        "end": table.end_states["start"],
        "rules": [[rule.alias or rule.options.template_source or rule.origin.name, rule.origin.name,
                   len(rule.expansion),
                   [[i, not symbol.is_term and symbol.name.startswith("_")]
                    for i, symbol in enumerate(rule.expansion)
                    if rule.options.keep_all_tokens or not (symbol.is_term and symbol.filter_out)],
                   bool(rule.options.expand1 and not rule.alias)]
                  for rule in lark.rules],
    }


class Tables:
    """Tables read back from JSON, and each lexer state's scanner made when first needed."""

    def __init__(self, data: dict):
        if data.get("format") != FORMAT:
            raise ValueError("tables of another format")
        self.flags = data["flags"]
        self.ignore = frozenset(data["ignore"])
        self.order = [(name, regexp, literal) for name, regexp, literal in data["terminals"]]
        self.keywords = {name: [(word, embedded) for word, embedded in found]
                         for name, found in data["keywords"].items()}
        self.states = data["states"]
        self.start, self.end = data["start"], data["end"]
        self.rules = [(name, origin, size, [(i, expand) for i, expand in include], expand1)
                      for name, origin, size, include, expand1 in data["rules"]]
        self._patterns: dict[str, re.Pattern] = {}
        self._scanners: dict[int, tuple] = {}
        self.candidates: dict[tuple[int, str], tuple] = {}  # see `candidates_at`

    def candidates_at(self, state: int, char: str) -> tuple:
        """The state's terminals that may match at a `char`: its regular expressions, and only
        the literals that begin with it (most of a state's terminals are keywords)."""
        found = self.candidates[state, char] = tuple(
            entry for entry in self.scanner(state) if entry[1] is None or entry[1].startswith(char))
        return found

    def scanner(self, state: int) -> tuple:
        """A state's terminals in the order Lark tries them, each `(name, literal text or None,
        compiled expression or None, {keyword text: type})`, as Lark's contextual lexer makes them."""
        found = self._scanners.get(state)
        if found is None:
            accepts = self.states[state].keys() | self.ignore
            names = {name for name, _, _ in self.order if name in accepts}
            embedded: set[str] = set()
            unless: dict[str, dict[str, str]] = {}
            for name, _, literal in self.order:
                if name in names and name in self.keywords:
                    words = [(word, keep) for word, keep in self.keywords[name] if word in names]
                    embedded.update(word for word, keep in words if keep)
                    unless[name] = {}
                    for word, _ in words:
                        text = self._literal(word)
                        if text is None:
                            raise Mismatch(f"terminal {word} has flags")
                        unless[name].setdefault(text, word)
            found = tuple((name, literal, None if literal is not None else self._pattern(name, regexp),
                           unless.get(name)) for name, regexp, literal in self.order
                          if name in names and name not in embedded)
            self._scanners[state] = found
        return found

    def _literal(self, name: str) -> str | None:
        return next(literal for terminal, _, literal in self.order if terminal == name)

    def _pattern(self, name: str, regexp: str) -> re.Pattern:
        if name not in self._patterns:
            self._patterns[name] = re.compile(regexp, self.flags)
        return self._patterns[name]


def parse(text: str, tables: Tables, build: Callable[[str, Meta, list], object], max_depth: int | None = None):
    """The value `build(rule name, meta, children)` gives the start rule of `text`.

    Raises `Mismatch` when the text does not parse, when `build` raises, or when Lark's tree would
    nest deeper than `max_depth` rules (Lark then reports what is wrong)."""
    states, rules, ignore = tables.states, tables.rules, tables.ignore
    state_stack = [tables.start]
    # each value is (what the node builder made, where its text is as its parent sees it, kind, depth)
    # with kind 0 for a token, 1 for a rule's value and 2 for an inlined `_rule`'s children, and
    # depth the rules nested in Lark's tree down to it (its own included; 0 for a token)
    value_stack: list[tuple] = []
    pos, line, line_start, end = 0, 1, 0, len(text)
    candidates, candidates_at = tables.candidates, tables.candidates_at
    while True:
        if pos < end:
            state, char = state_stack[-1], text[pos]
            found = candidates.get((state, char)) or candidates_at(state, char)
            for name, literal, pattern, unless in found:
                if literal is not None:
                    if text.startswith(literal, pos):
                        value = literal
                        break
                else:
                    match = pattern.match(text, pos)
                    if match is not None:
                        value = match.group(0)
                        break
            else:
                raise Mismatch(f"no terminal at {line}:{pos - line_start + 1}")
            if unless is not None:
                name = unless.get(value, name)
            column = pos - line_start + 1
            start_line = line
            pos += len(value)
            if "\n" in value:
                line += value.count("\n")
                line_start = pos - (len(value) - value.rindex("\n") - 1)
            if name in ignore:  # blanks and comments (syntax.py reads comments from the text)
                continue
            token = Token(name, value, start_line, column, line, pos - line_start + 1)
        else:
            token = Token(_SHIFT_END, "", line, pos - line_start + 1, line, pos - line_start + 1)
        is_end = token.type == _SHIFT_END
        while True:  # feed the token: reduce as long as the table says, then shift it
            action = states[state_stack[-1]].get(token.type)
            if action is None:
                raise Mismatch(f"unexpected {token.type} at {token.line}:{token.column}")
            if action >= 0:
                if is_end:
                    raise Mismatch("shift of the end")
                state_stack.append(action)
                value_stack.append((token, (token.line, token.column, token.end_line, token.end_column), 0, 0))
                break
            name, origin, size, include, expand1 = rules[-1 - action]
            children = value_stack[len(value_stack) - size:] if size else []
            if size:
                del state_stack[-size:]
                del value_stack[-size:]
            reduced = _reduce(name, origin, children, include, expand1, build)
            if max_depth is not None and reduced[3] > max_depth:
                raise Mismatch(f"{name} nests more than {max_depth} deep")
            value_stack.append(reduced)
            state_stack.append(states[state_stack[-1]][origin])
            if is_end and state_stack[-1] == tables.end:
                return value_stack[-1][0]


def _reduce(name: str, origin: str, children: list[tuple], include: list[tuple[int, bool]], expand1: bool,
            build: Callable) -> tuple:
    """One reduction, as Lark's tree builder and a transformer applied to its tree would do it."""
    first = next((where for _, where, _, _ in children if where is not None), None)
    last = next((where for _, where, _, _ in reversed(children) if where is not None), None)
    where = None if first is None else (first[0], first[1], last[2], last[3])
    kept: list[tuple] = []
    for i, expand in include:
        if expand:  # an inlined `_rule` gives its children, not itself
            if children[i][2] != 2:
                raise Mismatch(f"{name}: an inlined rule without children")
            kept += children[i][0]
        else:
            kept.append(children[i])
    if expand1 and len(kept) == 1:  # `?rule` with one child: the child, now spanning the whole rule
        value, own, kind, depth = kept[0]
        return (value, own if kind == 0 else where, kind, depth)
    depth = max((child[3] for child in kept), default=0)
    if origin.startswith("_"):
        return (kept, where, 2, depth)
    if where is None and origin != "start":
        raise Mismatch(f"{name} without a position")  # Lark would give it one later: ask Lark
    try:
        return (build(name, Meta(where), [value for value, _, _, _ in kept]), where, 1, depth + 1)
    except Exception as exc:
        raise Mismatch(f"{name}: {exc}") from exc
