"""A Pygments lexer for nhnprice specs, so Markdown and docs highlight ```nhp blocks.

Registered as the entry point `pygments.lexers: nhnprice` and imported only by Pygments.
Its keywords come from the grammar file (nhnprice/words.py).
"""

from __future__ import annotations

from types import MappingProxyType

from pygments.lexer import RegexLexer, words
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String, Whitespace

from nhnprice.words import grammar_words, kinds

_KINDS = kinds(grammar_words())
_END = r"(?![\w.-])"  # a keyword is a whole word: `mill` is not the start of `millioner`


class NhnpriceLexer(RegexLexer):
    name = "nhnprice"
    aliases = ("nhnprice", "nhp")
    filenames = ("*.nhp",)
    mimetypes = ("text/x-nhnprice",)

    tokens = MappingProxyType({
        "root": (
            (r"\s+", Whitespace),
            (r"#.*?$", Comment.Single),
            (r'"[^"\n]*"', String.Double),
            (words(_KINDS["declaration"], prefix=r"(?<![\w-])", suffix=_END), Keyword.Declaration),
            (words(_KINDS["unit"], prefix=r"(?<![\w-])", suffix=_END), Keyword.Type),
            (words(_KINDS["constant"], prefix=r"(?<![\w-])", suffix=_END), Keyword.Constant),
            (words(_KINDS["share"], prefix=r"(?<![\w-])", suffix=_END), Keyword.Pseudo),
            (words(_KINDS["other"], prefix=r"(?<![\w-])", suffix=_END), Keyword),
            # 1 570, 264.9, 88,3 (thousands may be separated by a space), 1/3
            (r"\d+/\d+", Number),
            (r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?(?!\d)", Number),
            (r"\d+(?:[.,]\d+)?", Number),
            (r"[{}(),]", Punctuation),
            (r">=|<=|[%=*/+<>-]", Operator),
            (r"[^\W\d]\w*", Name),
        ),
    })
