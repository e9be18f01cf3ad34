"""`nhnprice lsp`: the language server, over standard input and output (pygls).

Only the Language Server Protocol is here: every answer comes from nhnprice/analysis.py,
which works on the text the editor holds; nothing is written to disk. pygls is imported
when a server is made, so that only the `lsp` command loads it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from types import MappingProxyType
from urllib.parse import unquote, urlparse

from nhnprice import __version__
from nhnprice.analysis import Analysis, DataSets, Symbol, analyse
from nhnprice.diagnostics import ERROR, LABELS, WARNING, Diagnostic
from nhnprice.formatter import format_source
from nhnprice.messages import language, localise_all
from nhnprice.span import Span

# pygls and lsprotocol are imported by the functions that serve, so that listing the commands
# (`nhnprice --help`) does not load them; the protocol's kinds are named here
_SEVERITY = MappingProxyType({ERROR: "Error", WARNING: "Warning"})
_SYMBOL_KIND = MappingProxyType({"section": "Namespace", "pool": "Struct", "group": "Class", "key": "Array",
                                 "register": "Array", "parameter": "Constant"})
_COMPLETION_KIND = MappingProxyType({"keyword": "Keyword", "pool": "Struct", "group": "Class", "key": "Variable",
                                     "register": "Variable", "parameter": "Constant"})


class Documents:
    """What the server knows of each open spec: its latest analysis, and the last one that parsed."""

    def __init__(self):
        self.datasets = DataSets()
        self.latest: dict[str, Analysis] = {}
        self.parsed: dict[str, Analysis] = {}  # for names and places while the text has a syntax error
        self.published: dict[str, set[str]] = {}  # spec uri -> the uris its diagnostics went to
        self.lang = "en"  # of diagnostics and hovers: the editor's locale (see `initialize`)

    def update(self, uri: str, text: str) -> Analysis:
        analysis = analyse(text, spec_path(uri), self.datasets)
        self.latest[uri] = analysis
        if analysis.spec is not None:
            self.parsed[uri] = analysis
        return analysis

    def close(self, uri: str) -> None:
        self.latest.pop(uri, None)
        self.parsed.pop(uri, None)

    def names(self, uri: str) -> Analysis | None:
        return self.parsed.get(uri) or self.latest.get(uri)


def spec_path(uri: str) -> str:
    """The file a document is, for its data paths and its diagnostics (an unsaved one: its name)."""
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        return os.path.normpath(unquote(parsed.path))
    return unquote(parsed.path or uri) or "untitled.nhp"


def make_server():
    """A language server (pygls) whose state lives in it: two servers in one process share nothing."""
    from lsprotocol import types as lsp
    from pygls.lsp.server import LanguageServer
    from pygls.uris import from_fs_path

    server = LanguageServer("nhnprice", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
    docs = Documents()

    @server.feature(lsp.INITIALIZE)
    def initialize(ls, params):
        options = params.initialization_options if isinstance(params.initialization_options, dict) else {}
        docs.lang = language(options.get("lang"), params.locale)

    def refresh(ls, uri: str) -> None:
        document = ls.workspace.get_text_document(uri)
        analysis = docs.update(uri, document.source)
        by_uri: dict[str, list] = {uri: []}
        for d in analysis.diagnostics:
            target = uri if d.span is None or d.span.file == analysis.path else from_fs_path(d.span.file) or uri
            by_uri.setdefault(target, []).append(_diagnostic(d, document if target == uri else None, docs.lang))
        for stale in docs.published.get(uri, set()) - by_uri.keys():
            by_uri[stale] = []  # a data file whose problems are gone
        docs.published[uri] = {u for u, found in by_uri.items() if found}
        for target, found in by_uri.items():
            ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
                uri=target, diagnostics=found, version=document.version if target == uri else None))

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls, params):
        refresh(ls, params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls, params):
        refresh(ls, params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls, params):
        refresh(ls, params.text_document.uri)  # a data file may have changed meanwhile

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls, params):
        uri = params.text_document.uri
        for target in docs.published.pop(uri, set()) | {uri}:
            ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=target, diagnostics=[]))
        docs.close(uri)

    def at(ls, params) -> tuple[Analysis, Symbol, object] | None:
        """The analysis, the declared name at the request's position and the document; None off a name."""
        analysis = docs.names(params.text_document.uri)
        if analysis is None:
            return None
        document = ls.workspace.get_text_document(params.text_document.uri)
        point = document.position_from_client_units(params.position)
        symbol = analysis.symbol_at(point.line + 1, point.character + 1)
        return (analysis, symbol, document) if symbol is not None else None

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls, params):
        if (found := at(ls, params)) is None:
            return None
        analysis, symbol, _ = found
        markdown = analysis.hover(symbol, docs.lang)
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=markdown))

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    def definition(ls, params):
        if (found := at(ls, params)) is None:
            return None
        _, symbol, document = found
        return lsp.Location(uri=params.text_document.uri, range=_range(symbol.span, document))

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    def references(ls, params):
        if (found := at(ls, params)) is None:
            return []
        analysis, symbol, document = found
        return [lsp.Location(uri=params.text_document.uri, range=_range(span, document))
                for span in analysis.references(symbol, params.context.include_declaration)]

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[" "]))
    def completion(ls, params):
        analysis = docs.names(params.text_document.uri)
        if analysis is None:
            return lsp.CompletionList(is_incomplete=False, items=[])
        document = ls.workspace.get_text_document(params.text_document.uri)
        point = document.position_from_client_units(params.position)
        lines = document.source.split("\n")  # the text as typed, which the last analysis may not have
        text_before = lines[point.line][: point.character] if point.line < len(lines) else ""
        trigger = params.context.trigger_kind if params.context is not None else None
        typed = trigger == lsp.CompletionTriggerKind.TriggerCharacter
        items = analysis.completions(text_before, after_space=typed)
        return lsp.CompletionList(is_incomplete=False, items=[
            lsp.CompletionItem(label=label, kind=getattr(lsp.CompletionItemKind, _COMPLETION_KIND[kind]),
                               detail=detail or kind)
            for label, kind, detail in items])

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def outline(ls, params):
        analysis = docs.names(params.text_document.uri)
        if analysis is None:
            return []
        document = ls.workspace.get_text_document(params.text_document.uri)

        def symbol(item) -> lsp.DocumentSymbol:
            return lsp.DocumentSymbol(
                name=item.name, detail=item.detail, kind=getattr(lsp.SymbolKind, _SYMBOL_KIND.get(item.kind, "Object")),
                range=_range(item.span, document), selection_range=_range(item.selection, document),
                children=[symbol(child) for child in item.children])

        return [symbol(item) for item in analysis.outline()]

    @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    def formatting(ls, params):
        document = ls.workspace.get_text_document(params.text_document.uri)
        canonical, _ = format_source(document.source, spec_path(params.text_document.uri))
        if canonical is None or canonical == document.source:
            return []  # a spec with a syntax error is left as it is (its diagnostics say why)
        lines = document.source.split("\n")
        whole = lsp.Range(start=lsp.Position(line=0, character=0),
                          end=lsp.Position(line=len(lines), character=0))
        return [lsp.TextEdit(range=whole, new_text=canonical)]

    @server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
    def prepare_rename(ls, params):
        if (found := at(ls, params)) is None:
            return None
        _, symbol, document = found
        return _range(symbol.span, document)

    @server.feature(lsp.TEXT_DOCUMENT_RENAME)
    def rename(ls, params):
        if (found := at(ls, params)) is None:
            return None
        analysis, symbol, document = found
        spans, problem = analysis.rename(symbol, params.new_name)
        if problem is not None:
            raise ValueError(problem)  # pygls answers the request with this message as an error
        return lsp.WorkspaceEdit(changes={params.text_document.uri: [
            lsp.TextEdit(range=_range(span, document), new_text=params.new_name) for span in spans]})

    return server


def _range(span: Span, document=None):
    """A span (1-based, characters) as an LSP range (0-based, in the client's units)."""
    from lsprotocol import types as lsp
    from pygls.workspace.position_codec import ServerTextPosition, ServerTextRange

    end_line = span.end_line if span.end_line and span.end_col else span.line
    end_col = span.end_col if span.end_line and span.end_col else span.col + 1
    server = ServerTextRange(ServerTextPosition(span.line - 1, span.col - 1),
                             ServerTextPosition(end_line - 1, end_col - 1))
    if document is None:
        return lsp.Range(start=lsp.Position(line=server.start.line, character=server.start.character),
                         end=lsp.Position(line=server.end.line, character=server.end.character))
    return document.range_to_client_units(server)


def _diagnostic(d: Diagnostic, document, lang: str):
    """A diagnostic as an editor shows it, in `lang`: its message, notes and hint under one underline."""
    from lsprotocol import types as lsp

    [d], labels = localise_all([d], lang)
    words = (labels(d) if labels is not None else None) or LABELS
    note, hint = words["note"], words["hint"]
    message = d.message
    for text in d.notes:
        message += f"\n{note}: {text}"
    if d.hint:
        message += f"\n{hint}: {d.hint}"
    where = _range(d.span, document) if d.span is not None else lsp.Range(
        start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0))
    return lsp.Diagnostic(range=where, message=message, code=d.code, source="nhnprice",
                          severity=getattr(lsp.DiagnosticSeverity, _SEVERITY.get(d.severity, "Information")))


def serve(server) -> None:
    """Serve one editor with `server` (from `make_server`) over standard input and output until it says exit.

    The protocol gets its own handle on standard output, which it closes at exit; anything
    else printed meanwhile goes to standard error, where it cannot corrupt the protocol."""
    protocol_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    with contextlib.redirect_stdout(sys.stderr):
        server.start_io(sys.stdin.buffer, protocol_out)
