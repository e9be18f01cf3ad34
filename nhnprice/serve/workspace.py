"""One served spec: text in; diagnostics, reports and the page's pieces out.

A `Workspace` is what `nhnprice serve` works on: the spec's file, the folder its
data may come from, and the data sets uploaded for this session (kept in memory,
never written anywhere). Every call takes the spec's text as the editor holds it,
saved or not; the file is written only by `save`, which refuses to overwrite a
file that changed on disk since the page read it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Mapping

import attrs

from nhnprice.data import load
from nhnprice.diagnostics import Diagnostic, did_you_mean, error, has_errors, sort_key
from nhnprice.files import Access, Unreadable, may_read, read_bytes
from nhnprice.graph import Graph
from nhnprice.params import read_overrides
from nhnprice.pipeline import compile_text, evaluate_graph, outside_folder
from nhnprice.record import Record, frozen

#: the parameters of an evaluation, as a person writes them (`4 %`, `1 570 kr`, `15000`)
Settings = Mapping[str, str]


@frozen
class Upload(Record):
    """A data set given for this session instead of the file the spec declares."""

    name: str  # the data set
    filename: str  # as the user's browser named it, for diagnostics and the page
    content: bytes = attrs.field(repr=False)
    rows: int = 0


@frozen
class Evaluation(Record):
    """What one evaluation of the editor's text gave: the graph when it compiled, the result when it
    evaluated (also when expectations fail), and every diagnostic found on the way."""

    graph: Graph | None
    result: object | None  # nhnprice.evaluate.Result
    diagnostics: tuple[Diagnostic, ...]


class NotText(Exception):
    """The spec's file is not UTF-8 text; the message says where."""


class Conflict(Exception):
    """The spec's file changed on disk since the page read it; the message says so."""


def version(content: bytes | None) -> str | None:
    """What `save` compares: a digest of the file's bytes (None: there is no file)."""
    return None if content is None else hashlib.sha256(content).hexdigest()


class Workspace:
    """The spec a session serves, and the data sets uploaded for it."""

    def __init__(self, spec_path: str, allowed_dirs: tuple[str, ...] = ()):
        self.spec_path = spec_path
        #: where the spec may read data (its own folder and below, and the folders the user allowed) and how much
        self.access = Access.default(tuple(allowed_dirs))
        self._uploads: dict[str, Upload] = {}
        #: data set name -> (what decides its table, the table and its diagnostics): a session reads a data file
        #: again only when the file or its declaration changed, and never unpickles it from the cache per keystroke
        self._tables: dict[str, tuple[tuple, object, list[Diagnostic]]] = {}
        #: the last evaluation and what was asked for it (see `evaluate`)
        self._last: tuple[tuple, Evaluation] | None = None
        # the session's data (uploads, kept tables) changes under this lock; a save and what it compares too
        self._lock = threading.Lock()

    # -- the spec's file

    def read(self) -> tuple[str, str | None]:
        """The spec's text on disk and its version; an empty text and None when there is no file yet."""
        content = self._content()
        if content is None:
            return "", None
        try:
            return content.decode("utf-8"), version(content)
        except UnicodeDecodeError as exc:  # shown with stand-ins, a save would silently change what it could not show
            raise NotText(f"{self.spec_path} is not UTF-8 text (byte {exc.start}); save it as UTF-8 and "
                          "start nhnprice serve again") from None

    def _content(self) -> bytes | None:
        try:
            with open(self.spec_path, "rb") as f:
                return f.read()
        except FileNotFoundError:
            return None

    def save(self, text: str, expected_version: str | None) -> str:
        """Write `text` to the spec's file, atomically; only if the file is still the one the page read
        (`expected_version`, None for a file that did not exist). Returns the new version."""
        with self._lock:
            if version(self._content()) != expected_version:
                raise Conflict(f"{self.spec_path} has changed on disk since it was opened; "
                               "reload the page to see it, or copy your text and save again")
            content = text.encode("utf-8")
            folder = os.path.dirname(os.path.abspath(self.spec_path))
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".nhnprice-", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(content)
                if os.path.exists(self.spec_path):
                    os.chmod(tmp, os.stat(self.spec_path).st_mode & 0o777)
                else:
                    umask = os.umask(0)
                    os.umask(umask)
                    os.chmod(tmp, 0o666 & ~umask)
                os.replace(tmp, self.spec_path)
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise
            return version(content)

    # -- uploads

    def uploads(self) -> list[Upload]:
        return list(self._uploads.values())

    def upload(self, text: str, name: str, filename: str, content: bytes) -> tuple[Upload | None, list[Diagnostic]]:
        """Check `content` (CSV or XLSX) as data set `name` of the spec in `text`; keep it for the session
        when it has no errors. Its problems name the row and column of the uploaded file."""
        graph, diagnostics = self.compile(text)
        if graph is None:
            return None, diagnostics
        node = graph.datasets.get(name)
        if node is None:
            return None, [error("U001", f"the spec declares no data set `{name}`",
                                hint=did_you_mean(name, graph.datasets) or
                                "declared: " + ", ".join(sorted(graph.datasets)))]
        with self._lock:
            table, found = load(node, filename, graph.year, content, self.access.limits)
            if table is None or has_errors(found):
                return None, sorted(found, key=sort_key)
            upload = Upload(name, filename, content, len(table))
            self._uploads[name] = upload
        return upload, found

    def remove_upload(self, name: str) -> bool:
        with self._lock:
            return self._uploads.pop(name, None) is not None

    # -- the passes

    def compile(self, text: str) -> tuple[Graph | None, list[Diagnostic]]:
        """Parse, check and lower the editor's text as the spec's file, and confine its data files."""
        graph, diagnostics = compile_text(text, self.spec_path)
        if graph is not None:
            diagnostics += confine(graph, self.access)
            if has_errors(diagnostics):
                return None, diagnostics
        return graph, diagnostics

    def evaluate(self, text: str, settings: Settings | None = None) -> Evaluation:
        """Compile the text, load its data (uploads first) and evaluate it with the parameters in `settings`.

        The last evaluation is kept: the page asks for the figures, the payers and an explanation of the same
        text one after the other. It is used again only for the same text, parameters and uploads, and while
        the data files are unchanged."""
        settings = {k: v for k, v in (settings or {}).items() if v.strip()}
        asked = (text, tuple(sorted(settings.items())), tuple(self._uploads.values()))
        last = self._last
        if last is not None and last[0] == asked and last[1].graph is not None and self._unchanged(last[1].graph):
            return last[1]
        evaluation = self._evaluate(text, settings)
        self._last = (asked, evaluation)
        return evaluation

    def _unchanged(self, graph: Graph) -> bool:
        """The declared data files still hold what the kept evaluation read from them."""
        for name, node in graph.datasets.items():
            if name in self._uploads:
                continue
            known = self._tables.get(name)
            if known is None or known[0][-1] != self._bytes(node.path):  # the stamp ends with the file's bytes
                return False
        return True

    def _evaluate(self, text: str, settings: Settings) -> Evaluation:
        graph, diagnostics = self.compile(text)
        if graph is None:
            return Evaluation(None, None, tuple(diagnostics))
        params, found = read_overrides(graph, settings, "parameter")
        diagnostics += found
        with self._lock:
            tables, found = self._load(graph)
            diagnostics += found
            if has_errors(diagnostics):
                return Evaluation(graph, None, tuple(diagnostics))
            result, found = evaluate_graph(graph, tables, params)
        return Evaluation(graph, result, tuple(diagnostics + found))

    def _bytes(self, path: str) -> bytes | None:
        """A declared data file's bytes, read as files.py reads (a regular file, within the limits), or None."""
        try:
            return read_bytes(path, self.access.limits.file_mb)
        except Unreadable:
            return None

    def _load(self, graph: Graph):
        """Every data set of the graph: an upload of this session, or the declared file."""
        tables, diagnostics = {}, []
        for name, node in graph.datasets.items():
            upload = self._uploads.get(name)
            path = upload.filename if upload is not None else node.path
            content = upload.content if upload is not None else self._bytes(node.path)
            # the declaration compares without its place in the spec: an edit above it does not read it again
            stamp = (node, graph.year, path, content)
            known = self._tables.get(name)
            if known is not None and known[0] == stamp:
                table, found = known[1], known[2]
            else:
                # a file that cannot be read (content None) is read again by `load`, which says why
                table, found = load(node, path, graph.year, content, self.access.limits)
                if all(d.span is None or d.span.file == path for d in found):  # nothing that points into the spec
                    self._tables[name] = (stamp, table, found)
            diagnostics += found
            if table is not None:
                tables[name] = table
        return tables, diagnostics


def confine(graph: Graph, access: Access) -> list[Diagnostic]:
    """A served spec reads data only from where it may (files.may_read): a page on this machine must not be a
    way to read any file its user can (`file "/etc/passwd"`, `file "../../.ssh/..."`, a link pointing out)."""
    return [attrs.evolve(outside_folder(node, graph.file),
                         hint="keep data files in the spec's folder or below it, upload the file for this session, "
                              "or start `nhnprice serve` with `--allow-data-dir FOLDER`")
            for node in graph.datasets.values() if not may_read(node.path, graph.file, access)]
