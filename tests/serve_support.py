"""A served copy of specs/2024.nhp for the tests of `nhnprice serve` (the API's and the browser's)."""

from __future__ import annotations

import http.client
import json
import shutil
import threading
from pathlib import Path

from nhnprice.serve.server import TOKEN_HEADER, Server
from nhnprice.serve.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 30


def copy_2024(folder: Path) -> Path:
    """specs/2024.nhp and its data copied into `folder`: the spec the tests serve, edit and save."""
    shutil.copy(ROOT / "specs" / "2024.nhp", folder / "2024.nhp")
    shutil.copytree(ROOT / "specs" / "data" / "2024", folder / "data" / "2024")
    return folder / "2024.nhp"


class Served:
    """A server on 127.0.0.1 for a copy of the 2024 spec and its data in `folder`, in a thread of the test."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.spec = copy_2024(folder)
        self.server = Server(Workspace(str(self.spec)), 0)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(TIMEOUT_S)

    def request(self, method: str, path: str, body: dict | bytes | None = None, token: bool = True,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body of one request, with the session token unless `token` is False."""
        sent = {"Host": f"127.0.0.1:{self.port}"}
        if token:
            sent[TOKEN_HEADER] = self.server.token
        if isinstance(body, dict):
            body = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        sent.update(headers or {})
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT_S)
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for name, value in sent.items():
                connection.putheader(name, value)
            if body is not None:
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def post(self, path: str, body: dict, **options) -> tuple[int, dict]:
        """A JSON request and its JSON answer."""
        status, _, raw = self.request("POST", path, body, **options)
        return status, json.loads(raw)
