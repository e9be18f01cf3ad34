"""The words of the language, read from the grammar file, sorted for highlighting.

Editors and the Pygments lexer colour a spec by these; a keyword added to the grammar
is highlighted without anyone listing it again (as "other" until it is given a kind
below). Reads only the grammar's text: no Lark.
"""

from __future__ import annotations

import re

from nhnprice.shipped import shipped_text

#: words that start a statement
DECLARATIONS = ("title", "year", "source", "rounding", "parameter", "adjust", "key", "register",
                "group", "section", "pool", "expect")
#: the units of an amount
UNITS = ("mill.", "mill", "kroner", "kr", "NOK", "øre")
#: fixed values: kinds of entity, provenance, rounding levels
CONSTANTS = ("municipalities", "organisations", "official", "proxy", "synthetic", "groups", "entities")
#: shares written as words
SHARES = ("half", "equally", "rest", "solve")


def grammar_words(text: str | None = None) -> list[str]:
    """Every keyword of the grammar (`"pool"`, `"carry-over"`, `"mill."`), sorted."""
    if text is None:
        text = shipped_text("grammar/nhnprice.lark", "grammar/nhnprice.lark")
    text = re.sub(r"//[^\n]*", "", text)
    return sorted(set(re.findall(r'"([^\W\d][\w.-]*)"', text)))


def kinds(words: list[str]) -> dict[str, list[str]]:
    """The grammar's words by how they are highlighted."""
    fixed = {"declaration": DECLARATIONS, "unit": UNITS, "constant": CONSTANTS, "share": SHARES}
    known = {w for group in fixed.values() for w in group}
    out = {kind: [w for w in group if w in words] for kind, group in fixed.items()}
    out["other"] = [w for w in words if w not in known]
    return out
