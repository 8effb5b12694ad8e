"""The lean HTTP/1.1 transport against scripted servers: framing, keep-alive, closed connections, failures."""

from __future__ import annotations

import select
import socket
import threading
from collections.abc import Callable, Iterator

import pytest

from tradefin.chain.connection import Chain
from tradefin.chain.transport import HttpTransport, TransportError

Script = Callable[[socket.socket, bytes], bool]
"""Answers one request on a connection (given the bytes read); False closes the connection."""


class ScriptedServer:
    """Serves each request with the next script in turn (the last one repeats); counts connections."""

    def __init__(self, scripts: list[Script]) -> None:
        self.scripts = scripts
        self.served = 0
        self.connections = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/rpc"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            while request := _read_request(conn):
                script = self.scripts[min(self.served, len(self.scripts) - 1)]
                self.served += 1
                if not script(conn, request):
                    return

    def close(self) -> None:
        self.listener.close()


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return b""
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
    )
    while len(body) < length:
        body += conn.recv(65536)
    return head + b"\r\n\r\n" + body


def answer(body: bytes, *, extra: bytes = b"") -> Script:
    def script(conn: socket.socket, request: bytes) -> bool:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%s\r\n%s" % (len(body), extra, body))
        return b"Connection: close" not in extra

    return script


def echo(conn: socket.socket, request: bytes) -> bool:
    body = request.partition(b"\r\n\r\n")[2]
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
    )
    return True


@pytest.fixture
def serve() -> Iterator[Callable[..., ScriptedServer]]:
    servers: list[ScriptedServer] = []

    def start(*scripts: Script) -> ScriptedServer:
        servers.append(ScriptedServer(list(scripts)))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def test_keep_alive_reuses_one_connection(serve):
    server = serve(echo)
    transport = HttpTransport(server.url)
    for n in range(5):
        assert transport.post(b'{"n": %d}' % n, timeout=5) == (200, b'{"n": %d}' % n)
    assert server.connections == 1
    transport.close()


def test_request_line_names_the_path_and_host(serve):
    seen: list[bytes] = []

    def record(conn: socket.socket, request: bytes) -> bool:
        seen.append(request)
        return echo(conn, request)

    server = serve(record)
    HttpTransport(server.url + "?key=1").post(b"{}", timeout=5)
    head = seen[0].split(b"\r\n")
    assert head[0] == b"POST /rpc?key=1 HTTP/1.1"
    assert f"Host: {server.url.split('/')[2]}".encode() in head
    assert b"Content-Type: application/json" in head


def test_chunked_body_is_reassembled(serve):
    def chunked(conn: socket.socket, request: bytes) -> bool:
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            b'4;ext=1\r\n{"a"\r\n3\r\n: 1\r\n1\r\n}\r\n0\r\nX-Trailer: t\r\n\r\n'
        )
        return True

    server = serve(chunked, echo)
    transport = HttpTransport(server.url)
    assert transport.post(b"{}", timeout=5) == (200, b'{"a": 1}')
    assert transport.post(b"[1]", timeout=5) == (200, b"[1]")  # the connection stays usable after the chunks
    assert server.connections == 1


def test_http_1_0_body_runs_to_the_end_of_the_stream(serve):
    def old(conn: socket.socket, request: bytes) -> bool:
        conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n[1,2,3]")
        return False

    server = serve(old)
    transport = HttpTransport(server.url)
    assert transport.post(b"{}", timeout=5) == (200, b"[1,2,3]")
    assert transport.post(b"{}", timeout=5) == (200, b"[1,2,3]")
    assert server.connections == 2


def test_interim_answers_are_skipped(serve):
    def interim(conn: socket.socket, request: bytes) -> bool:
        conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
        return True

    assert HttpTransport(serve(interim).url).post(b"{}", timeout=5) == (200, b"{}")


def test_connection_close_is_honoured(serve):
    server = serve(answer(b"{}", extra=b"Connection: close\r\n"))
    transport = HttpTransport(server.url)
    for _ in range(3):
        assert transport.post(b"{}", timeout=5) == (200, b"{}")
    assert server.connections == 3


def test_a_connection_the_server_closed_while_idle_is_replaced_without_an_error(serve):
    def answer_then_hang_up(conn: socket.socket, request: bytes) -> bool:
        answer(b"[]", extra=b"Connection: keep-alive\r\n")(conn, request)
        return False  # promised keep-alive, then closed while idle (Node's servers do after 5 s)

    server = serve(answer_then_hang_up, echo)
    transport = HttpTransport(server.url)
    assert transport.post(b"{}", timeout=5) == (200, b"[]")
    select.select([transport._local.socket], [], [], 5.0)  # the server's close reaches us
    assert transport.post(b"[7]", timeout=5) == (200, b"[7]")
    assert server.connections == 2


def test_failures_are_one_transport_error_each(serve):
    hang_up = serve(lambda conn, request: False)
    with pytest.raises(TransportError, match=r"connection reset"):
        HttpTransport(hang_up.url).post(b"{}", timeout=5)
    garbled = serve(lambda conn, request: conn.sendall(b"SSH-2.0-OpenSSH\r\n\r\n") or True)
    with pytest.raises(TransportError, match="not an HTTP response"):
        HttpTransport(garbled.url).post(b"{}", timeout=5)
    silent = serve(lambda conn, request: threading.Event().wait(2) or True)
    with pytest.raises(TransportError, match="read timed out"):
        HttpTransport(silent.url).post(b"{}", timeout=0.2)
    with socket.socket() as unused:  # a port nobody listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    with pytest.raises(TransportError, match="connection refused"):
        HttpTransport(f"http://127.0.0.1:{port}").post(b"{}", timeout=5)


def test_threads_get_their_own_connections_and_close_closes_them(serve):
    server = serve(echo)
    transport = HttpTransport(server.url)
    threads = [threading.Thread(target=transport.post, args=(b"{}",), kwargs={"timeout": 5}) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert server.connections == 3
    transport.post(b"{}", timeout=5)  # a new thread's connection; the finished threads' ones are closed now
    assert [t.is_alive() for t, _ in transport._open] == [True]
    transport.close()
    assert transport._open == []


def test_a_chain_behind_a_proxy_goes_through_requests(serve, monkeypatch):
    node = serve(answer(b'{"jsonrpc": "2.0", "id": 1, "result": "0x7a69"}'))
    direct = Chain(node.url)
    assert direct._transport is not None and direct.chain_id == 31337
    proxy = serve(answer(b'{"jsonrpc": "2.0", "id": 1, "result": "0x7a69"}'))
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "")
    proxied = Chain("http://node.invalid:8545")
    assert proxied._transport is None and proxied.chain_id == 31337
    assert proxy.served >= 1
