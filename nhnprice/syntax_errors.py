"""Syntax errors people can act on: every one in a file, each where it would be fixed.

Used only when the parse in syntax.py has failed. The text is parsed again with Lark's
interactive LALR parser, one token at a time, and at each error the parser is helped on
the way a person reading the spec would:

- a statement keyword inside a block that cannot hold it means the block's `}` is
  missing: the block is named (where it opens) and closed, and the parse goes on;
- a word that is not a keyword, where a keyword must stand, gets the keyword it was
  probably meant to be (`gruop` -> `group`, `kost` -> `cost`, also from Norwegian:
  `gruppe` -> `group`), and is read as that keyword;
- an amount with a wrong or missing unit names the units;
- a missing `{`, `%`, `,`, `)` or `=` is said to be missing where it belongs;
- anything else is "unexpected ..., expected ...", and the parse skips to the next
  line it can go on from (a statement, a field, a share or a `}`).

At most one error is reported per line, so that one mistake is not reported again by
what follows it on its line.
"""

from __future__ import annotations

import difflib
import re
from collections import deque
from copy import copy
from types import MappingProxyType

from typing import TYPE_CHECKING

from nhnprice.diagnostics import Diagnostic, error
from nhnprice.numbers import UNIT_ALIASES
from nhnprice.span import Span

if TYPE_CHECKING:  # Lark is loaded only when a text does not parse (see syntax.py)
    from lark import Lark, Token

#: the words of an amount's unit
_UNITS = tuple(UNIT_ALIASES)
_UNITS_NOTE = "an amount is in `mill` (or `mill.`), `kr` (or `kroner`, `NOK`) or `øre`"

#: words a Norwegian writer may use for a keyword (offered only where that keyword may stand)
_NORWEGIAN = MappingProxyType({
    "tittel": "title", "år": "year", "kilde": "source", "avrunding": "rounding",
    "nøkkel": "key", "gruppe": "group", "avsnitt": "section", "paragraf": "section",
    "pott": "pool", "kostnad": "cost", "kostnader": "cost", "referanse": "reference",
    "merknad": "note", "forventer": "expect", "forvent": "expect", "halvparten": "half",
    "halv": "half", "likt": "equally", "resten": "rest", "etter": "by", "blant": "among",
    "fil": "file", "vekt": "weight", "navn": "name", "dato": "date", "ark": "sheet",
    "millioner": "mill", "million": "mill", "mnok": "mill", "krone": "kr", "prosent": "%", "pst": "%",
    "percent": "%", "betaler": "pays", "betale": "pay", "alle": "all", "medlem": "member",
    "medlemmer": "members", "måned": "month", "fra": "from", "avgift": "fee", "utenfor": "outside",
    "forskriften": "regulation", "kategorier": "categories", "ellers": "otherwise", "når": "when",
})

#: symbols that may be missing and are safe to supply: the parse goes on as if they were there
_SUPPLIED = ("{", "%", ",", ")", "=")

#: keywords that open a block, and how a message names the block
_BLOCK_KINDS = MappingProxyType({"pool": "pool", "section": "section", "key": "key", "register": "register",
                "categories": "the block of categories"})

# Human names for the grammar's terminals, for "expected ..." hints.
_TERMINAL_WORDS = MappingProxyType({
    "NAME": "a name", "STRING": 'a quoted text ("...")', "NUMBER": "a number", "INT": "a whole number",
    "FRACTION": "a fraction like 1/3", "$END": "the end of the file",
})


def diagnose(lark: Lark, text: str, file: str) -> list[Diagnostic]:
    """Every syntax error of `text` (which must not parse), in source order."""
    return _Recovery(lark, text, file).run()


def _lark():
    """Lark's token and its two errors of the input, imported when a text has errors."""
    from lark import Token
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    return Token, UnexpectedCharacters, UnexpectedToken


class _Recovery:
    def __init__(self, lark: Lark, text: str, file: str):
        self.lark, self.text, self.file = lark, text, file
        self.Token, self.UnexpectedCharacters, self.UnexpectedToken = _lark()
        self.lines = text.split("\n")  # as the lexer counts lines
        self.keywords = {t.name: t.pattern.value for t in lark.terminals if t.pattern.type == "str"}
        self.words = {word: name for name, word in self.keywords.items() if word[:1].isalpha()}
        self.units = {name for name, word in self.keywords.items() if word in _UNITS}
        self.diagnostics: list[Diagnostic] = []
        self.recent: deque[tuple[Token, tuple[list, list]]] = deque(maxlen=6)  # accepted tokens, state before each
        self.last: Token | None = None  # the last token the parser accepted
        self.quiet_line = 0  # the line of the last error: no second error is reported on it
        self.recovering = False  # after an error nothing fitted: skip quietly until something does
        self.suspect: tuple | None = None  # a block a mis-indented `}` closed, which may be the one missing its own

    # ---- the parse
    def run(self) -> list[Diagnostic]:
        interactive = self.lark.parse_interactive(self.text)
        self.state = state = interactive.parser_state
        # no tree is built from a text with errors: the parser only has to follow the grammar
        conf = copy(state.parse_conf)
        conf.callbacks = {}
        state.parse_conf = conf
        thread = interactive.lexer_thread
        tokens = thread.lex(state)
        while True:
            try:
                tok = next(tokens)
            except StopIteration:
                break
            except self.UnexpectedToken as exc:  # the contextual lexer: a known word where it cannot stand
                tok = exc.token
                tokens = thread.lex(state)
            except self.UnexpectedCharacters as exc:
                self._bad_character(exc, thread.state.line_ctr)
                tokens = thread.lex(state)
                continue
            rest = self._glued(tok)
            if rest:  # `millioner` read as `mill` + `ioner`: the word is what is wrong
                thread.state.line_ctr.feed(rest)
                tokens = thread.lex(state)
                self._glued_word(tok, tok.value + rest)
                continue
            self._step(tok)
        self._end()
        return self.diagnostics

    def _step(self, tok: Token) -> None:
        saved = self._save()
        if tok.type == "RBRACE":
            self._check_indent(tok)
        if self._feed([tok]):
            self.recent.append((tok, saved))
            self.last = tok
            self.recovering = False
            return
        if self.recovering or tok.line == self.quiet_line:
            self._resync(tok)
            return
        self.quiet_line = tok.line
        for repair in (self._missing_brace, self._keyword_before, self._extra_brace, self._unit, self._misspelled,
                       self._misspelled_before, self._missing_symbol):
            if repair(tok):
                return
        self._report(error("E001", f"unexpected {_shown(tok)}", self._span(tok), self._expected_hint()))
        self.recovering = True
        self._resync(tok)

    def _end(self) -> None:
        end = self.Token.new_borrow_pos("$END", "", self.last) if self.last else self.Token("$END", "", 0, 1, 1)
        if self._feed([end]):
            return
        blocks = self._open_blocks()
        if blocks:
            for k in range(1, len(blocks) + 1):
                if self._feed([self._virtual("RBRACE", "}")] * k + [end]):
                    self._unclosed(blocks[-k:], None)
                    return
        if self.recovering or (self.last is not None and self.last.line == self.quiet_line):
            return
        lines = self.text.rstrip("\n").split("\n")
        span = Span(self.file, len(lines), len(lines[-1]) + 1, len(lines), len(lines[-1]) + 2)
        self._report(error("E001", "the spec ends too early", span, self._expected_hint()))

    # ---- repairs: each says what is wrong and, when it applies, puts the parser back on its way
    def _missing_brace(self, tok: Token, rest: tuple[Token, ...] = ()) -> bool:
        """A statement keyword inside a block that cannot hold it: the block's `}` is missing."""
        if tok.type not in self.keywords or not tok.value[:1].isalpha():
            return False
        blocks = self._open_blocks()
        for k in range(1, len(blocks) + 1):
            if self._feed([self._virtual("RBRACE", "}", tok)] * k + [tok, *rest]):
                self._unclosed(blocks[-k:], tok)
                self._accepted(rest[-1] if rest else tok)
                return True
        return False

    def _keyword_before(self, tok: Token) -> bool:
        """A keyword that starts a line but was read as a name, because the block it stands in
        takes names there (`expect` inside a pool): the block's `}` is missing."""
        recent = list(self.recent)
        for i, (word, saved) in enumerate(recent):
            if word.type != "NAME" or str(word) not in self.words or not self._first_on_line(word):
                continue
            now = self._save()
            self._restore(saved)
            keyword = self.Token.new_borrow_pos(self.words[str(word)], str(word), word)
            if self._missing_brace(keyword, (*(t for t, _ in recent[i + 1:]), tok)):
                return True
            self._restore(now)
        return False

    def _extra_brace(self, tok: Token) -> bool:
        if tok.type != "RBRACE" or self._open_blocks():
            return False
        self._report(error("E001", "this `}` closes no block", self._span(tok),
                           "remove it, or add the `{` it closes"))
        return True  # skipped

    def _unit(self, tok: Token) -> bool:
        """An amount whose unit is wrong or missing."""
        if not self.units <= self._accepts():
            return False
        unit = self._virtual(next(name for name, word in self.keywords.items() if word == "mill"), "mill", tok)
        if _is_word(tok) and self.last is not None and tok.line == self.last.line:
            self._report(error("E008", f"`{tok}` is not a unit", self._span(tok),
                               self._suggest(str(tok), _UNITS), notes=[_UNITS_NOTE]))
            self._feed([unit])  # read on as if the unit were right
            return True
        where = self._span(self.last) if self.last is not None else self._span(tok)
        self._report(error("E008", f"the amount `{self.last}` has no unit", where, None, notes=[_UNITS_NOTE]))
        if not self._feed([unit, tok]):
            self.recovering = True
            self._resync(tok)
        return True

    def _misspelled(self, tok: Token) -> bool:
        """A word where a keyword must stand: `gruop` for `group`."""
        if tok.type != "NAME":
            return False
        keyword = self._closest(str(tok), self._accepts())
        if keyword is None:
            return False
        self._report(error("E009", f"unknown word `{tok}`", self._span(tok),
                           f"did you mean `{self.keywords[keyword]}`?"))
        self._feed([self.Token.new_borrow_pos(keyword, self.keywords[keyword], tok)])
        return True

    def _misspelled_before(self, tok: Token) -> bool:
        """A word read as a name that was meant as a keyword: `kost 12,5 mill`, `refrence "§ 13"`.

        The name was accepted (a share may start with a group's name), and the error shows
        only later on its line; the word is where it is fixed."""
        recent = list(self.recent)
        for i, (word, saved) in enumerate(recent):
            if word.type != "NAME" or word.line != tok.line:
                continue
            now = self._save()
            self._restore(saved)
            keyword = self._closest(str(word), self._accepts())
            if keyword is not None:
                replaced = self.Token.new_borrow_pos(keyword, self.keywords[keyword], word)
                if self._feed([replaced, *(t for t, _ in recent[i + 1:]), tok]):
                    self._report(error("E009", f"unknown word `{word}`", self._span(word),
                                       f"did you mean `{self.keywords[keyword]}`?"))
                    self._accepted(tok)
                    return True
            self._restore(now)
        return False

    def _missing_symbol(self, tok: Token) -> bool:
        """`{`, `%`, `,`, `)` or `=`, or a name, left out: said where it belongs, then supplied."""
        if self.last is None:
            return False
        accepted = self._accepts()
        missing = [(name, self.keywords[name]) for name in sorted(accepted) if self.keywords.get(name) in _SUPPLIED]
        if "NAME" in accepted and tok.type != "NAME":
            missing.append(("NAME", "_"))
        for name, symbol in missing:
            if self._feed([self._virtual(name, symbol, tok), tok]):
                last = self.last
                at = Span(self.file, last.end_line, last.end_column, last.end_line, last.end_column + 1)
                if name == "NAME":
                    self._report(error("E001", f"a name is missing after {_shown(last)}", at,
                                       "add a name: a letter, then letters, digits or `_`"))
                else:
                    self._report(error("E001", f"`{symbol}` is missing after {_shown(last)}", at, f"add `{symbol}`"))
                self._accepted(tok)
                return True
        return False

    def _glued_word(self, tok: Token, word: str) -> None:
        """A keyword the contextual lexer found at the start of a longer word (`mill` in `millioner`)."""
        span = Span(self.file, tok.line, tok.column, tok.line, tok.column + len(word))
        if tok.line != self.quiet_line:
            self.quiet_line = tok.line
            if tok.type in self.units:
                self._report(error("E008", f"`{word}` is not a unit", span, self._suggest(word, _UNITS),
                                   notes=[_UNITS_NOTE]))
            else:
                keyword = self._closest(word, self._accepts())
                hint = f"did you mean `{self.keywords[keyword]}`?" if keyword else self._expected_hint()
                self._report(error("E009", f"unknown word `{word}`", span, hint))
        self._step(tok)  # read on as if the keyword stood alone

    def _bad_character(self, exc, line_ctr) -> None:
        char = self.text[exc.pos_in_stream]
        skip = 1
        if char == '"':  # a quoted text that does not end on its line: skip the rest of the line
            end = self.text.find("\n", exc.pos_in_stream)
            skip = (end if end >= 0 else len(self.text)) - exc.pos_in_stream
        line_ctr.feed(self.text[exc.pos_in_stream: exc.pos_in_stream + skip])
        if self.recovering or exc.line == self.quiet_line:
            return
        self.quiet_line = exc.line
        span = Span(self.file, exc.line, exc.column, exc.line, exc.column + 1)
        if char == '"':
            self._report(error("E001", "a quoted text must end on the line it starts", span,
                               'add the closing `"`'))
        else:
            hint = "write numbers with the digits 0–9" if char.isdigit() else self._expected_hint()
            self._report(error("E001", f"unexpected character `{char}`", span, hint))
        self.recovering = True

    # ---- missing braces
    def _open_blocks(self) -> list[tuple[str, Token]]:
        """The blocks the parser is inside, outermost first: what each is, and its `{`."""
        blocks = []
        for i, v in enumerate(self.state.value_stack):
            if _is_token(v) and v.type == "LBRACE":
                blocks.append((self._describe(i), v))
            elif _is_token(v) and v.type == "RBRACE":  # shifted, its block not yet reduced
                blocks.pop()
        return blocks

    def _describe(self, index: int) -> str:
        """`pool `vkp``, `section "§ 13"`, `the shares of `kommuner``: what a `{` opens."""
        before = [_first_token(v) for v in self.state.value_stack[max(0, index - 5): index]]
        for j in range(len(before) - 1, -1, -1):
            t = before[j]
            if t is not None and str(t) in _BLOCK_KINDS and t.type in self.keywords:
                kind = _BLOCK_KINDS[str(t)]
                name = before[j + 1] if j + 1 < len(before) else None
                return f"{kind} `{name}`" if name is not None and name.type == "NAME" else (
                    f"{kind} {name}" if name is not None else kind)
        names = [t for t in before if t is not None and t.type == "NAME"]
        return f"the block of shares of `{names[-1]}`" if names else "the block"

    def _check_indent(self, rbrace: Token) -> None:
        """A `}` indented like an outer block's opening line probably belongs to that block:
        remember the inner block it closes, in case a brace turns out to be missing."""
        blocks = self._open_blocks()
        if len(blocks) < 2 or not self._first_on_line(rbrace):
            return
        inner, outers = blocks[-1], blocks[:-1]
        indent = rbrace.column - 1
        if indent < self._indent(inner[1].line) and any(self._indent(b.line) == indent for _, b in outers):
            outer = next(b for _, b in reversed(outers) if self._indent(b.line) == indent)
            self.suspect = (inner[0], inner[1], self._close_after(inner[1], rbrace.line), outer)

    def _unclosed(self, blocks: list[tuple[str, Token]], before: Token | None) -> None:
        """Say which blocks a `}` is missing from: where each opens, and where its `}` goes."""
        found = [(what, brace, self._close_after(brace, before.line if before else len(self.lines) + 1), before)
                 for what, brace in blocks]
        if self.suspect is not None:
            what, brace, last, outer = self.suspect
            for n, (_, b, _, _) in enumerate(found):
                if b is outer:  # the `}` that closed the inner block was this block's own
                    found[n] = (what, brace, last, None)
            self.suspect = None
        for what, brace, line, before in reversed(found):
            where = f"after line {line}"
            if before is not None and line < before.line - 1:
                where += f", before {_shown(before)} on line {before.line}"
            self._report(error("E007", f"{what} is not closed: its `}}` is missing", self._span(brace),
                               f"add `}}` {where}"))

    # ---- resynchronising
    def _resync(self, tok: Token) -> None:
        """Go on from `tok` if it starts a line (or is a `}`) and some enclosing construct
        can take it; otherwise skip it."""
        if not (self._first_on_line(tok) or tok.type == "RBRACE"):
            return
        if tok.type == "NAME" and str(tok) in self.words:  # the lexer read a keyword as a name where one may stand
            tok = self.Token.new_borrow_pos(self.words[str(tok)], str(tok), tok)
        saved = self._save()
        for depth in range(len(self.state.state_stack) - 1, 0, -1):
            del self.state.state_stack[depth:]
            del self.state.value_stack[depth - 1:]
            if self._feed([tok]):
                self._accepted(tok)
                return
        self._restore(saved)

    def _accepted(self, tok: Token) -> None:
        self.last = tok
        self.recent.clear()
        self.recovering = False

    # ---- the parser state
    def _save(self) -> tuple[list, list]:
        return list(self.state.state_stack), list(self.state.value_stack)

    def _restore(self, saved: tuple[list, list]) -> None:
        self.state.state_stack[:], self.state.value_stack[:] = saved[0], saved[1]

    def _feed(self, tokens: list[Token]) -> bool:
        """Feed all of `tokens`, or none of them."""
        saved = self._save()
        try:
            for tok in tokens:
                self.state.feed_token(tok, tok.type == "$END")
        except self.UnexpectedToken:
            self._restore(saved)
            return False
        return True

    def _accepts(self) -> set[str]:
        """The terminals the parser can go on with (LALR's table may list more than that)."""
        choices = self.state.parse_conf.states[self.state.position]
        saved = self._save()
        out = set()
        for name in choices:
            if name.isupper() and self._feed([self.Token(name, "")]):
                self._restore(saved)
                out.add(name)
        return out

    # ---- words
    def _closest(self, word: str, accepted: set[str]) -> str | None:
        """The keyword among `accepted` terminals that `word` was probably meant to be."""
        meant = _NORWEGIAN.get(word.lower())
        for name in accepted:
            if meant is not None and self.keywords.get(name) == meant:
                return name
        words = {self.keywords[name]: name for name in accepted if name in self.keywords
                 and self.keywords[name][:1].isalpha()}
        if not words:
            return None
        close = difflib.get_close_matches(word, list(words), n=1, cutoff=0.6) or \
            difflib.get_close_matches(word.lower(), list(words), n=1, cutoff=0.6)
        return words[close[0]] if close else None

    def _suggest(self, word: str, candidates) -> str | None:
        meant = _NORWEGIAN.get(word.lower())
        if meant in candidates:
            return f"did you mean `{meant}`?"
        close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
        return f"did you mean `{close[0]}`?" if close else None

    def _expected_hint(self) -> str | None:
        words = sorted({self._word(t) for t in self._accepts()},
                       key=lambda w: (w[1:2].isalnum(), not w.startswith("`"), w))
        if not words:
            return None
        if len(words) > 8:
            words = words[:8] + ["..."]
        return "expected " + ", ".join(words)

    def _word(self, terminal: str) -> str:
        if terminal in _TERMINAL_WORDS:
            return _TERMINAL_WORDS[terminal]
        if terminal in self.keywords:
            return f"`{self.keywords[terminal]}`"
        return terminal.lower()

    # ---- places
    def _virtual(self, name: str, value: str, at: Token | None = None) -> Token:
        at = at or self.last
        return self.Token.new_borrow_pos(name, value, at) if at is not None else self.Token(name, value)

    def _span(self, tok: Token) -> Span:
        end_line = tok.end_line if tok.end_line is not None else tok.line
        end_col = tok.end_column if tok.end_column is not None else tok.column + max(1, len(tok))
        return Span(self.file, tok.line, tok.column, end_line, end_col)

    def _close_after(self, brace: Token, until: int) -> int:
        """The line after which a block's missing `}` goes: before the first line below its `{`
        indented no deeper than the line of the `{` (a person's indentation says where a block ends),
        else after the last line with something on it before line `until`."""
        indent = self._indent(brace.line)
        last = brace.line
        for number in range(brace.line + 1, min(until, len(self.lines) + 1)):
            text = self.lines[number - 1].strip()
            if not text or text.startswith("#"):
                continue
            if self._indent(number) <= indent:
                break
            last = number
        return last

    def _first_on_line(self, tok: Token) -> bool:
        return not self.lines[tok.line - 1][: tok.column - 1].strip()

    def _indent(self, line: int) -> int:
        text = self.lines[line - 1]
        return len(text) - len(text.lstrip())

    def _glued(self, tok: Token) -> str:
        """The rest of the word when a keyword was read from the start of a longer word."""
        if tok.type not in self.keywords or not tok.value[-1:].isalnum():
            return ""
        match = re.compile(r"\w+").match(self.text, tok.end_pos)
        return match.group() if match else ""

    def _report(self, diagnostic: Diagnostic) -> None:
        if diagnostic.code != "E007" and any(d.code != "E007" and d.span.line == diagnostic.span.line
                                             for d in self.diagnostics):
            return  # one error a line: a second is most likely the first seen again
        self.diagnostics.append(diagnostic)


def _is_word(tok: Token) -> bool:
    return str(tok)[:1].isalpha()


def _shown(tok: Token) -> str:
    return "the end of the file" if tok.type == "$END" else f"`{tok}`"


def _first_token(value) -> Token | None:
    """The first token of a stack value: a token, or a reduced rule (a list of values)."""
    while isinstance(value, list):
        if not value:
            return None
        value = value[0]
    return value if _is_token(value) else None


def _is_token(value) -> bool:
    """A token of the text (Lark's Token: a string with a type), not a reduced rule."""
    return isinstance(value, str) and hasattr(value, "type")
