"""The HTTP side of `nhnprice serve`: the standard library's threading server on 127.0.0.1.

Every request must name this server in `Host` (so that a web page elsewhere cannot
reach it through a DNS name it controls) and, when it has an `Origin`, come from
this server's own. The API needs the session's token in the header
`X-Nhnprice-Token`: the page takes it from the fragment of the address the command
printed (never sent to any server) and keeps it in the tab's session storage,
which, unlike a cookie, no other port of 127.0.0.1 can see. Bodies are JSON of
bounded size. The endpoints are described in docs/serve.md; what they compute is in `workspace` and `views`.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import MappingProxyType
from urllib.parse import urlsplit

from nhnprice.report.json_report import render as json_report
from nhnprice.report.summary import UnknownEntity, resolve_entity
from nhnprice.serve import views
from nhnprice.serve.workspace import Conflict, NotText, Workspace

STATIC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "static")
#: the files of the page, by name; nothing else is served from disk
PAGE_FILES = MappingProxyType({"index.html": "text/html; charset=utf-8", "app.js": "text/javascript; charset=utf-8",
              "app.css": "text/css; charset=utf-8", "editor.js": "text/javascript; charset=utf-8",
              "editor.LICENSES.txt": "text/plain; charset=utf-8"})
#: the largest key or register accepted as an upload (a register of 100 000 members is about 10 MB)
MAX_UPLOAD_BYTES = 32 * 1024 * 1024
#: the largest request body: a spec and its parameters; an upload may be larger (base64 of MAX_UPLOAD_BYTES)
MAX_BODY_BYTES = 4 * 1024 * 1024
MAX_UPLOAD_BODY_BYTES = MAX_UPLOAD_BYTES * 4 // 3 + 64 * 1024
TOKEN_HEADER = "X-Nhnprice-Token"
SECURITY_HEADERS = MappingProxyType({
    # the page runs only its own scripts and talks only to this server; CodeMirror sets styles inline
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "connect-src 'self'; img-src 'self' data: blob:; frame-ancestors 'none'; "
                               "base-uri 'none'; form-action 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
})


class Refused(Exception):
    """A request this server does not answer; `status` and the message say why."""

    def __init__(self, status: HTTPStatus, message: str):
        super().__init__(message)
        self.status = status


class Server(ThreadingHTTPServer):
    """One session: the workspace it serves, the token its API needs, the names it answers to."""

    daemon_threads = True

    def __init__(self, workspace: Workspace, port: int = 0, token: str | None = None):
        super().__init__(("127.0.0.1", port), Handler)
        self.workspace = workspace
        self.token = token or secrets.token_urlsafe(32)
        port = self.server_address[1]
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{host}" for host in self.hosts}

    def handle_error(self, request, client_address) -> None:
        """What escaped a request's handler: one line on the terminal, not the standard library's traceback."""
        kind, exc, _ = sys.exc_info()
        if not isinstance(exc, (BrokenPipeError, ConnectionResetError, TimeoutError)):
            print(f"nhnprice serve: a request failed: {kind.__name__}: {exc}", file=sys.stderr)

    @property
    def url(self) -> str:
        """The address to open: the token is in its fragment, which the browser keeps to itself."""
        return f"http://127.0.0.1:{self.server_address[1]}/#token={self.token}"


class Handler(BaseHTTPRequestHandler):
    server: Server
    protocol_version = "HTTP/1.1"
    timeout = 30  # a client that stops sending is let go

    # -- dispatch

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def do_HEAD(self) -> None:
        self._send_json(HTTPStatus.METHOD_NOT_ALLOWED, {"error": "HEAD is not supported"})

    def _answer(self, method: str) -> None:
        try:
            self._check_origin()
            url = urlsplit(self.path)
            if method == "GET" and url.path == "/":
                return self._static("index.html")  # the page holds no data: that takes the token
            if method == "GET" and url.path.startswith("/static/"):
                return self._static(url.path[len("/static/"):])
            if not url.path.startswith("/api/"):
                raise Refused(HTTPStatus.NOT_FOUND, f"no page {url.path}")
            self._check_token()
            route = ROUTES.get((method, url.path))
            if route is None:
                raise Refused(HTTPStatus.NOT_FOUND, f"no endpoint {method} {url.path}")
            body = self._body(MAX_UPLOAD_BODY_BYTES if url.path == "/api/upload" else MAX_BODY_BYTES) \
                if method == "POST" else {}
            route(self, body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the page went away (a reload, a closed tab): nobody to answer
        except Refused as exc:
            # closed after the answer: a body left unread must not be read as the next request
            self._send_json(exc.status, {"error": str(exc)}, close=True)
        except Exception as exc:  # a bug: the page gets a message, the terminal the details, never the user
            print(f"nhnprice serve: internal error on {method} {urlsplit(self.path).path}: "
                  f"{type(exc).__name__}: {exc}", file=sys.stderr)
            self._send_json(HTTPStatus.INTERNAL_SERVER_ERROR,
                            {"error": "internal error in nhnprice; the terminal running `nhnprice serve` has details"})

    # -- what every request must satisfy

    def _check_origin(self) -> None:
        host = self.headers.get("Host", "")
        if host not in self.server.hosts:
            raise Refused(HTTPStatus.FORBIDDEN, f"this server answers only to {sorted(self.server.hosts)[0]}")
        origin = self.headers.get("Origin")
        if origin is not None and origin not in self.server.origins:
            raise Refused(HTTPStatus.FORBIDDEN, "requests from other web pages are refused")
        if self.headers.get("Sec-Fetch-Site") not in (None, "same-origin", "none"):
            raise Refused(HTTPStatus.FORBIDDEN, "requests from other web pages are refused")

    def _valid(self, token: str | None) -> bool:
        return token is not None and secrets.compare_digest(token.encode(), self.server.token.encode())

    def _check_token(self) -> None:
        if not self._valid(self.headers.get(TOKEN_HEADER)):
            raise Refused(HTTPStatus.UNAUTHORIZED, "the session token is missing or wrong: open the address "
                                                   "`nhnprice serve` printed")

    def _body(self, limit: int) -> dict:
        if self.headers.get("Transfer-Encoding"):
            raise Refused(HTTPStatus.LENGTH_REQUIRED, "send the body with a Content-Length")
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            raise Refused(HTTPStatus.LENGTH_REQUIRED, "a Content-Length is required") from None
        if length < 0:
            raise Refused(HTTPStatus.BAD_REQUEST, "a negative Content-Length")
        if length > limit:
            raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                          f"the request has {length} bytes; this endpoint takes at most {limit}")
        if self.headers.get_content_type() != "application/json":
            raise Refused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send JSON (Content-Type: application/json)")
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw.decode("utf-8")) if raw else {}
        except (UnicodeDecodeError, ValueError):
            raise Refused(HTTPStatus.BAD_REQUEST, "the body is not JSON in UTF-8") from None
        if not isinstance(body, dict):
            raise Refused(HTTPStatus.BAD_REQUEST, "the body must be a JSON object")
        return body

    # -- the page

    def _static(self, name: str) -> None:
        kind = PAGE_FILES.get(name)
        if kind is None:
            raise Refused(HTTPStatus.NOT_FOUND, f"no file {name}")
        with open(os.path.join(STATIC, name), "rb") as f:
            self._send(HTTPStatus.OK, f.read(), kind)

    # -- answers

    def _security_headers(self) -> None:
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)

    def _send(self, status: HTTPStatus, body: bytes, kind: str, headers: dict[str, str] | None = None,
              close: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self._security_headers()
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    def _send_json(self, status: HTTPStatus, document: dict, close: bool = False) -> None:
        body = json.dumps(document, ensure_ascii=False).encode("utf-8")
        self._send(status, body, "application/json; charset=utf-8", close=close)

    def version_string(self) -> str:
        return "nhnprice"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the standard library's name)
        """Quiet: the first request's line holds the session token, and the page asks on every keystroke."""

    # -- the API (docs/serve.md)

    def _read(self) -> tuple[str, str | None]:
        try:
            return self.server.workspace.read()
        except NotText as exc:
            raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, str(exc)) from None

    def _text(self, body: dict) -> str:
        text = body.get("text")
        if text is None:
            text, _ = self._read()
        if not isinstance(text, str):
            raise Refused(HTTPStatus.BAD_REQUEST, "`text` must be a string")
        return text

    def _evaluate(self, body: dict):
        parameters = body.get("parameters") or {}
        if not isinstance(parameters, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                       for k, v in parameters.items()):
            raise Refused(HTTPStatus.BAD_REQUEST, '`parameters` maps names to values as text: {"prisjustering": "4 %"}')
        return self.server.workspace.evaluate(self._text(body), parameters)

    def _result(self, body: dict):
        """The evaluated result, or a 422 answer with the diagnostics that stopped it (None)."""
        evaluation = self._evaluate(body)
        if evaluation.result is None:
            self._send_json(HTTPStatus.UNPROCESSABLE_ENTITY, {"diagnostics": views.diagnostics(evaluation.diagnostics)})
        return evaluation.result

    def api_spec(self, body: dict) -> None:
        text, version = self._read()
        self._send_json(HTTPStatus.OK, {"path": self.server.workspace.spec_path, "text": text, "version": version})

    def api_check(self, body: dict) -> None:
        evaluation = self._evaluate(body)
        self._send_json(HTTPStatus.OK, {"diagnostics": views.diagnostics(evaluation.diagnostics)})

    def api_report(self, body: dict) -> None:
        result = self._result(body)
        if result is None:
            return
        entity = body.get("entity")
        if entity is not None:
            entity = self._entity(result, entity)
            if entity is None:
                return
        self._send(HTTPStatus.OK, json_report(result, entity), "application/json; charset=utf-8")

    def api_view(self, body: dict) -> None:
        self._send_json(HTTPStatus.OK, views.page(self.server.workspace, self._evaluate(body)))

    def api_entities(self, body: dict) -> None:
        result = self._result(body)
        if result is not None:
            self._send_json(HTTPStatus.OK, views.entities(result, body.get("group") or None,
                                                          str(body.get("query") or "")))

    def _entity(self, result, text) -> str | None:
        try:
            return resolve_entity(result, str(text))
        except UnknownEntity as exc:
            self._send_json(HTTPStatus.NOT_FOUND, {"error": str(exc)})
            return None

    def api_explain(self, body: dict) -> None:
        result = self._result(body)
        if result is None:
            return
        entity = self._entity(result, body.get("entity", ""))
        if entity is not None:
            self._send_json(HTTPStatus.OK, views.explanation(result, entity))

    def api_download(self, body: dict) -> None:
        fmt = body.get("format")
        if fmt not in views.DOWNLOADS:
            raise Refused(HTTPStatus.BAD_REQUEST, "`format` is one of " + ", ".join(views.DOWNLOADS))
        result = self._result(body)
        if result is None:
            return
        suffix, kind = views.DOWNLOADS[fmt]
        stem = os.path.splitext(os.path.basename(self.server.workspace.spec_path))[0] or "nhnprice"
        self._send(HTTPStatus.OK, views.download(result, fmt), kind,
                   {"Content-Disposition": f'attachment; filename="{_ascii(stem)}{suffix}"'})

    def api_save(self, body: dict) -> None:
        text = body.get("text")
        if not isinstance(text, str) or "version" not in body:
            raise Refused(HTTPStatus.BAD_REQUEST, "save needs `text` and the `version` the page read "
                                                  "(null for a new file)")
        try:
            version = self.server.workspace.save(text, body["version"])
        except Conflict as exc:
            raise Refused(HTTPStatus.CONFLICT, str(exc)) from None
        except OSError as exc:
            raise Refused(HTTPStatus.INTERNAL_SERVER_ERROR, f"cannot write {self.server.workspace.spec_path}: "
                                                            f"{exc.strerror}") from None
        self._send_json(HTTPStatus.OK, {"path": self.server.workspace.spec_path, "version": version})

    def api_upload(self, body: dict) -> None:
        name, filename, content = body.get("name"), body.get("file"), body.get("content")
        if not all(isinstance(v, str) for v in (name, filename, content)):
            raise Refused(HTTPStatus.BAD_REQUEST, "upload needs `name` (the data set), `file` (its file name) "
                                                  "and `content` (the file in base64)")
        try:
            raw = base64.b64decode(content, validate=True)
        except (binascii.Error, ValueError):
            raise Refused(HTTPStatus.BAD_REQUEST, "`content` is not base64") from None
        if len(raw) > MAX_UPLOAD_BYTES:
            raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                          f"the file has {len(raw)} bytes; an upload may have at most {MAX_UPLOAD_BYTES}")
        # the user's file name, without any folder: it names the file in diagnostics, it is never a path here
        filename = os.path.basename(filename.replace("\\", "/")) or "upload"
        upload, found = self.server.workspace.upload(self._text(body), name, filename, raw)
        status = HTTPStatus.OK if upload is not None else HTTPStatus.UNPROCESSABLE_ENTITY
        self._send_json(status, {"uploads": views.uploads(self.server.workspace),
                                 "diagnostics": views.diagnostics(found)})

    def api_upload_remove(self, body: dict) -> None:
        self.server.workspace.remove_upload(str(body.get("name", "")))
        self._send_json(HTTPStatus.OK, {"uploads": views.uploads(self.server.workspace)})


def _ascii(text: str) -> str:
    """A file name safe in a header: what is not plain ASCII becomes `_`."""
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in text)


ROUTES = MappingProxyType({
    ("GET", "/api/spec"): Handler.api_spec,
    ("POST", "/api/check"): Handler.api_check,
    ("POST", "/api/report"): Handler.api_report,
    ("POST", "/api/view"): Handler.api_view,
    ("POST", "/api/entities"): Handler.api_entities,
    ("POST", "/api/explain"): Handler.api_explain,
    ("POST", "/api/download"): Handler.api_download,
    ("POST", "/api/save"): Handler.api_save,
    ("POST", "/api/upload"): Handler.api_upload,
    ("POST", "/api/upload/remove"): Handler.api_upload_remove,
})
