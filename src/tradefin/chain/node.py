"""Local nodes started by tradefin: Anvil from node_modules on a free loopback port, stopped at exit."""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import json
import logging
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tradefin.errors import ChainError

log = logging.getLogger("tradefin.chain")

DEFAULT_CHAIN_ID = 31337
START_TIMEOUT = 20.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rpc_request(url: str, method: str, params: Sequence[Any] = (), timeout: float = 5.0) -> Any:
    """One JSON-RPC call with the standard library (used before web3 is attached)."""
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)}).encode()
    if not url.startswith(("http://", "https://")):
        raise ChainError(f"unsupported RPC URL {url!r}")
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})  # noqa: S310 (http only)
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http only, checked above)
        reply = json.loads(response.read())
    if "error" in reply:
        raise ChainError(f"{method} failed at {url}: {reply['error'].get('message', reply['error'])}")
    return reply["result"]


def _die_with_parent() -> None:
    # Linux: ask the kernel to SIGTERM the node when the Python process dies, even by SIGKILL.
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class LocalNode:
    """A node process tradefin owns. Use as a context manager, or call :meth:`stop`; it also stops at exit."""

    def __init__(self, command: list[str], url: str, name: str, log_file: Path | None = None) -> None:
        self.command = command
        self.url = url
        self.name = name
        self._log_file = log_file
        self._process: subprocess.Popen[bytes] | None = None
        self.cwd: Path | None = None
        self.env: dict[str, str] = {}

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self, timeout: float = START_TIMEOUT) -> LocalNode:
        output = self._log_file.open("ab") if self._log_file else subprocess.DEVNULL
        try:
            self._process = subprocess.Popen(
                self.command,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT if self._log_file else subprocess.DEVNULL,
                preexec_fn=_die_with_parent,  # noqa: PLW1509 (one prctl call, safe between fork and exec)
                cwd=self.cwd,
                env={**os.environ, **self.env} if self.env else None,
                start_new_session=True,  # Ctrl-C reaches Python, which stops the node in order
            )
        except OSError as exc:
            raise ChainError(f"could not start {self.name} ({self.command[0]}): {exc}") from None
        finally:
            if self._log_file:
                output.close()  # type: ignore[union-attr]
        atexit.register(self.stop)
        self._wait_ready(timeout)
        log.info("%s listening on %s (pid %s)", self.name, self.url, self.pid)
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        delay = 0.01
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise ChainError(f"{self.name} exited with code {self._process.returncode} while starting")
            try:
                rpc_request(self.url, "eth_chainId", timeout=1.0)
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                time.sleep(delay)
                delay = min(delay * 1.5, 0.2)
        self.stop()
        raise ChainError(f"{self.name} did not answer on {self.url} within {timeout:.0f} s")

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the node gracefully (so Anvil writes its state file), then forcefully if it hangs."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.info("%s stopped", self.name)

    def kill(self) -> None:
        """Kill the node at once, as a crash would (for fault tests)."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()

    def __enter__(self) -> LocalNode:
        return self if self.running else self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def anvil(
    binary: Path,
    *,
    chain_id: int = DEFAULT_CHAIN_ID,
    port: int | None = None,
    state_file: Path | None = None,
    block_time: float | None = None,
    genesis_timestamp: int | None = None,
    log_file: Path | None = None,
    extra_args: Sequence[str] = (),
) -> LocalNode:
    """An Anvil node (not yet started) on 127.0.0.1. ``state_file`` makes the chain survive restarts."""
    port = port or free_port()
    command = [
        str(binary),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--chain-id",
        str(chain_id),
        "--accounts",
        "20",
    ]  # every named role funded (Hardhat funds 20 as well)
    if state_file is not None:
        # --state loads the file if it exists and writes it on exit; the interval also saves it while running.
        command += ["--state", str(state_file), "--state-interval", "1"]
    if block_time is not None:
        command += ["--block-time", str(block_time)]
    if genesis_timestamp is not None:
        command += ["--timestamp", str(genesis_timestamp)]
    command += list(extra_args)
    return LocalNode(command, f"http://127.0.0.1:{port}", f"anvil:{port}", log_file)


HARDHAT_CONFIG = Path(__file__).with_name("hardhat.config.js")


def hardhat(
    project_root: Path,
    *,
    chain_id: int = DEFAULT_CHAIN_ID,
    port: int | None = None,
    log_file: Path | None = None,
) -> LocalNode:
    """A Hardhat 2 network node (not yet started) on 127.0.0.1, from the project's node_modules.

    It runs with the project as working directory (Hardhat refuses a non-local installation) and our config:
    same chain id, hardfork (cancun) and 20 funded dev accounts as our Anvil. It keeps no state across restarts.
    """
    bootstrap = project_root / "node_modules" / "hardhat" / "internal" / "cli" / "bootstrap.js"
    if not bootstrap.is_file():
        raise ChainError(f"Hardhat is not installed in {project_root}/node_modules; run `npm ci`")
    port = port or free_port()
    command = [
        "node",
        str(bootstrap),
        "--config",
        str(HARDHAT_CONFIG),
        "node",
        "--hostname",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    node = LocalNode(command, f"http://127.0.0.1:{port}", f"hardhat:{port}", log_file)
    node.cwd = project_root
    node.env = {"TRADEFIN_CHAIN_ID": str(chain_id), "HARDHAT_DISABLE_TELEMETRY_PROMPT": "true"}
    return node
