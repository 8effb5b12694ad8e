"""HTTP/1.1 POST of JSON-RPC bodies over one keep-alive socket per thread.

``requests`` spends about 0.7 ms of CPU on each call (sessions, adapters, hooks, header parsing through the email
package), ``http.client`` about 0.17 ms; a JSON-RPC client needs neither, so this writes the request line and
reads the status, ``Content-Length`` or chunked body straight off the socket, at about a third of the latter. It
serves plain ``http://`` and ``https://`` URLs reached without a proxy; through a proxy ``requests`` carries the
calls instead (see :mod:`.connection`).
"""

from __future__ import annotations

import select
import socket
import ssl
import threading
from urllib.parse import urlsplit

CHUNK = 65536


class TransportError(OSError):
    """The request got no HTTP answer (refused, reset, timed out, garbled); ``reason`` says which in a few words."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class HttpTransport:
    """POSTs to one URL, each thread on its own persistent connection (reopened when the server closed it)."""

    def __init__(self, url: str, *, ca_bundle: str | None = None) -> None:
        parts = urlsplit(url)
        self.https = parts.scheme == "https"
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or (443 if self.https else 80)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._head = (
            f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: application/json\r\n"
            "Accept: application/json\r\nContent-Length: "
        ).encode()
        self._ssl = ssl.create_default_context(cafile=ca_bundle) if self.https else None
        self._local = threading.local()
        self._open: list[tuple[threading.Thread, socket.socket]] = []
        self._lock = threading.Lock()

    def post(self, body: bytes, *, timeout: float) -> tuple[int, bytes]:
        """(HTTP status, body) of one POST; :class:`TransportError` if no answer came."""
        sock = self._socket(timeout)
        try:
            sock.sendall(self._head + str(len(body)).encode() + b"\r\n\r\n" + body)
            status, content, keep = _Reader(sock).response()
        except TimeoutError:
            self._drop(sock)
            raise TransportError("read timed out") from None
        except ConnectionRefusedError:
            self._drop(sock)
            raise TransportError("connection refused") from None
        except (ConnectionResetError, BrokenPipeError):
            self._drop(sock)
            raise TransportError("connection reset") from None
        except (OSError, ValueError) as exc:  # ValueError: a garbled status line or header
            self._drop(sock)
            raise TransportError(str(exc)[:160] or "connection aborted") from None
        if not keep:
            self._drop(sock)
        return status, content

    def _socket(self, timeout: float) -> socket.socket:
        sock: socket.socket | None = getattr(self._local, "socket", None)
        if sock is not None and _closed_by_peer(sock):
            self._drop(sock)
            sock = None
        if sock is None:
            try:
                sock = socket.create_connection((self.host, self.port), timeout=timeout)
            except TimeoutError:
                raise TransportError("connect timed out") from None
            except ConnectionRefusedError:
                raise TransportError("connection refused") from None
            except OSError as exc:
                raise TransportError(str(exc)[:160]) from None
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self._ssl is not None:
                sock = self._ssl.wrap_socket(sock, server_hostname=self.host)
            self._local.socket = sock
            with self._lock:  # a pipelined run's threads come and go: close what finished threads left open
                for thread, stale in self._open:
                    if not thread.is_alive():
                        stale.close()
                self._open = [(t, s) for t, s in self._open if t.is_alive()]
                self._open.append((threading.current_thread(), sock))
        sock.settimeout(timeout)
        return sock

    def _drop(self, sock: socket.socket) -> None:
        sock.close()
        if getattr(self._local, "socket", None) is sock:
            self._local.socket = None

    def close(self) -> None:
        with self._lock:
            for _, sock in self._open:
                sock.close()
            self._open.clear()


class _Reader:
    """Reads one HTTP/1.x response from a socket."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def _more(self) -> None:
        data = self.sock.recv(CHUNK)
        if not data:
            raise ConnectionResetError("the server closed the connection")
        self.buffer += data

    def _line(self) -> bytes:
        while (end := self.buffer.find(b"\r\n")) < 0:
            self._more()
        line, self.buffer = self.buffer[:end], self.buffer[end + 2 :]
        return line

    def _exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._more()
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def response(self) -> tuple[int, bytes, bool]:
        """(status, body, whether the connection stays open)."""
        while True:
            version, _, rest = self._line().partition(b" ")
            if not version.startswith(b"HTTP/"):
                raise ValueError(f"not an HTTP response: {version[:40]!r}")
            status = int(rest[:3])
            headers: dict[bytes, bytes] = {}
            while line := self._line():
                name, _, value = line.partition(b":")
                headers[name.strip().lower()] = value.strip()
            if status >= 200:  # (1xx interim answers are skipped)
                break
        connection = headers.get(b"connection", b"").lower()
        keep = connection == b"keep-alive" if version == b"HTTP/1.0" else connection != b"close"
        if b"chunked" in headers.get(b"transfer-encoding", b"").lower():
            return status, self._chunked(), keep
        if b"content-length" in headers:
            return status, self._exactly(int(headers[b"content-length"])), keep
        while True:  # no length given: the body runs to the end of the stream
            try:
                self._more()
            except ConnectionResetError:
                return status, self.buffer, False

    def _chunked(self) -> bytes:
        parts = []
        while size := int(self._line().split(b";")[0], 16):
            parts.append(self._exactly(size))
            self._exactly(2)
        while self._line():  # trailers, up to the empty line
            pass
        return b"".join(parts)


def _closed_by_peer(sock: socket.socket) -> bool:
    """An idle keep-alive connection the server has closed (Node's servers do after 5 s) reads as ready: the
    end of the stream, or bytes nobody asked for. Either way it cannot carry the next request."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)
