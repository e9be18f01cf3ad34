"""A small Language Server Protocol client for tests and benchmarks: JSON-RPC with
`Content-Length` framing over a subprocess's standard input and output. Every wait has a
timeout, so a server that hangs fails a test instead of hanging it."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class LspClient:
    def __init__(self, timeout: float = 30.0):
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
        self.process = subprocess.Popen([sys.executable, "-m", "nhnprice", "lsp"], cwd=ROOT, env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.timeout = timeout
        self.messages: queue.Queue = queue.Queue()
        self.notifications: list[dict] = []
        self.next_id = 0
        self.stderr: list[bytes] = []  # drained as it comes, so that a chatty server never blocks on it
        threading.Thread(target=self._read, daemon=True).start()
        drain = lambda: self.stderr.extend(iter(self.process.stderr.readline, b""))  # noqa: E731
        threading.Thread(target=drain, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    self.messages.put(None)  # the server has gone
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            self.messages.put(json.loads(stream.read(length)))

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: dict | None = None) -> None:
        self.send({"method": method, **({"params": params} if params is not None else {})})

    def request(self, method: str, params: dict | None = None):
        """Send a request and return its response (the whole message: `result` or `error`)."""
        self.next_id += 1
        ident = self.next_id
        self.send({"id": ident, "method": method, **({"params": params} if params is not None else {})})
        return self._wait(lambda m: m.get("id") == ident and "method" not in m)

    def wait_notification(self, method: str, where=lambda params: True) -> dict:
        """The first notification `method` whose params satisfy `where` (one already received counts)."""
        for i, message in enumerate(self.notifications):
            if message["method"] == method and where(message["params"]):
                return self.notifications.pop(i)["params"]
        message = self._wait(lambda m: m.get("method") == method and "id" not in m and where(m["params"]))
        return message["params"]

    def _wait(self, wanted) -> dict:
        deadline = time.monotonic() + self.timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the language server did not answer in time")
            try:
                message = self.messages.get(timeout=left)
            except queue.Empty:
                raise TimeoutError("the language server did not answer in time") from None
            if message is None:
                raise ConnectionError("the language server stopped: " + b"".join(self.stderr).decode(errors="replace"))
            if wanted(message):
                return message
            if "method" in message and "id" in message:  # a request from the server: answer it
                self.send({"id": message["id"], "result": None})
            elif "method" in message:
                self.notifications.append(message)

    def close(self) -> int:
        """shutdown and exit, as an editor does; the server's exit status."""
        try:
            if self.process.poll() is None:
                self.request("shutdown")
                self.notify("exit")
                return self.process.wait(timeout=self.timeout)
            return self.process.returncode
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
                stream.close()
