"""A flaky JSON-RPC proxy in front of the session's node: faults injected per request, counted per kind."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from tradefin.chain import connection
from tradefin.chain.connection import Chain
from tradefin.context import Context


@dataclass
class Fault:
    """What to do to the next request that ``matches`` (its JSON-RPC methods): answer ``status`` without
    forwarding, ``drop`` the connection without forwarding, forward and then drop the reply (``lost``: the node
    did the work, the client never hears of it), or ``delay`` seconds before forwarding (the client times out)."""

    kind: str
    matches: Callable[[list[str]], bool]
    status: int = 503
    delay: float = 0.0
    times: int = 1


@dataclass
class FlakyProxy:
    target: str
    faults: list[Fault] = field(default_factory=list)
    injected: Counter[str] = field(default_factory=Counter)
    methods: Counter[str] = field(default_factory=Counter)
    down: bool = False
    """While set, every request is dropped (the node unreachable)."""
    url: str = ""

    def add(self, kind: str, method: str | None = None, **options: Any) -> None:
        matches = (lambda methods: True) if method is None else (lambda methods: method in methods)
        self.faults.append(Fault(kind, matches, **options))

    def _take(self, methods: list[str]) -> Fault | None:
        for fault in self.faults:
            if fault.times > 0 and fault.matches(methods):
                fault.times -= 1
                self.injected[fault.kind] += 1
                return fault
        return None


def _handler(proxy: FlakyProxy) -> type[BaseHTTPRequestHandler]:
    session = requests.Session()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            payload = json.loads(body)
            methods = [c["method"] for c in (payload if isinstance(payload, list) else [payload])]
            with lock:
                proxy.methods.update(methods)
                fault = None if proxy.down else proxy._take(methods)
                down = proxy.down
            if down or (fault and fault.kind == "drop"):
                if down:
                    proxy.injected["down"] += 1
                self.close_connection = True
                self.connection.close()
                return
            if fault and fault.kind == "status":
                self._answer(fault.status, b'{"error": "injected"}')
                return
            if fault and fault.kind == "delay":
                time.sleep(fault.delay)
            reply = session.post(proxy.target, data=body, headers={"Content-Type": "application/json"}, timeout=60)
            if fault and fault.kind == "lost":
                self.close_connection = True
                self.connection.close()
                return
            self._answer(reply.status_code, reply.content)

        def _answer(self, status: int, content: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

    return Handler


@pytest.fixture
def proxy(session_chain) -> Iterator[FlakyProxy]:
    flaky = FlakyProxy(session_chain.rpc_url)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(flaky))
    server.daemon_threads = True
    flaky.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield flaky
    server.shutdown()
    server.server_close()


@pytest.fixture
def fast_retries(monkeypatch) -> None:
    monkeypatch.setattr(connection, "RETRY_DELAYS", (0.01, 0.02, 0.05))


@pytest.fixture
def flaky_ctx(project, build, proxy, fast_retries, chain, tmp_path) -> Iterator[Context]:
    """A context whose every JSON-RPC call goes through the flaky proxy (1 s client timeout)."""
    flaky_chain = Chain(proxy.url, timeout=1.0, dev_chain_ids=chain.dev_chain_ids)
    ctx = Context.on(project, flaky_chain, build, deployments_dir=tmp_path / "deployments")
    yield ctx
    flaky_chain.close()
