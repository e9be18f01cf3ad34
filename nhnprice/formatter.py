"""`nhnprice fmt`: a spec's canonical text, checked to mean what the spec means."""

from __future__ import annotations

from nhnprice.diagnostics import error
from nhnprice.printer import print_spec
from nhnprice.syntax import parse


def format_source(text: str, path: str = "<spec>"):
    """`(canonical text, diagnostics)`; the text is None when the spec does not parse.

    The canonical text is parsed again and must give equal nodes: a formatter
    that changed a spec's meaning would be worse than none, so then the file is
    left as it is and the problem reported.
    """
    spec, diagnostics = parse(text, path)
    if spec is None:
        return None, diagnostics
    canonical = print_spec(spec)
    again, _ = parse(canonical, path)
    if again != spec:  # pragma: no cover - a printer bug; the round-trip properties guard against it
        return None, [error("F001", f"internal error: the canonical form of {path} would mean something else",
                            hint="the file is left untouched; please report this with the spec")]
    return canonical, diagnostics
