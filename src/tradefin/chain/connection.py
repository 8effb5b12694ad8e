"""A connected chain: JSON-RPC access, its id, whether it is a dev chain, and test-time controls."""

from __future__ import annotations

import itertools
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import requests
from web3 import HTTPProvider, Web3

from tradefin.chain.node import LocalNode
from tradefin.chain.transport import HttpTransport, TransportError
from tradefin.errors import ChainError, NodeUnreachable

log = logging.getLogger("tradefin.chain")

DEV_CHAIN_IDS = frozenset({31337, 1337})
"""Chain ids on which Anvil's well-known keys may sign. Add more with ``TRADEFIN_DEV_CHAIN_IDS=1,2``."""

RETRY_DELAYS = (0.1, 0.3, 1.0)


class RpcError(ChainError):
    """The node answered a JSON-RPC call with an error."""

    def __init__(self, method: str, error: dict[str, Any]) -> None:
        self.method = method
        self.code = error.get("code")
        self.rpc_message = str(error.get("message", ""))
        self.data = error.get("data")
        super().__init__(f"{method}: {self.rpc_message or error}")


def _reason(exc: Exception) -> str:
    """The gist of a transport error (requests nests urllib3's reasons several levels deep)."""
    text = str(exc)
    for gist in (
        "Read timed out",
        "Connection refused",
        "Connection reset",
        "Connection aborted",
        "RemoteDisconnected",
    ):
        if gist in text:
            return gist.lower()
    return text[:160]


def declared_dev_chain_ids(extra: Iterable[int] = ()) -> frozenset[int]:
    configured = os.environ.get("TRADEFIN_DEV_CHAIN_IDS", "")
    ids = {int(part) for part in configured.replace(" ", "").split(",") if part}
    return DEV_CHAIN_IDS | ids | set(extra)


class Chain:
    """One JSON-RPC endpoint. Holds the node process too when tradefin started it."""

    def __init__(
        self,
        rpc_url: str,
        *,
        node: LocalNode | None = None,
        dev_chain_ids: Iterable[int] = (),
        timeout: float = 30.0,
        name: str | None = None,
    ) -> None:
        self.rpc_url = rpc_url
        self.timeout = timeout
        self.node = node
        self.name = name or rpc_url
        self._proxies = requests.utils.get_environ_proxies(rpc_url)  # read once: that lookup cost ~1 ms a call
        self._ca_bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        self._sessions: list[requests.Session] = []
        self._local = threading.local()
        self._transport = None if self._proxies else HttpTransport(rpc_url, ca_bundle=self._ca_bundle)
        """The lean HTTP path; through a proxy, ``requests`` (which knows proxies) carries the calls instead."""
        self.w3 = Web3(HTTPProvider(rpc_url, request_kwargs={"timeout": timeout}, session=self._session))
        self._ids = itertools.count(1)
        self._revert_listeners: list[Callable[[], None]] = []
        self.chain_id = int(self.rpc("eth_chainId"), 16)
        self.dev_chain_ids = declared_dev_chain_ids(dev_chain_ids)
        self.client_version = str(self._try("web3_clientVersion") or "unknown")

    @property
    def _session(self) -> requests.Session:
        """This thread's HTTP session (a pipelined runner sends from one thread while it polls from another)."""
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.proxies.update(self._proxies)
            if self._ca_bundle:
                session.verify = self._ca_bundle
            session.trust_env = False
            self._local.session = session
            self._sessions.append(session)
        return session

    @property
    def is_dev(self) -> bool:
        """True on chain ids declared as development chains (where dev keys may sign)."""
        return self.chain_id in self.dev_chain_ids

    @property
    def is_hardhat(self) -> bool:
        return "hardhat" in self.client_version.lower()

    @property
    def steerable(self) -> bool:
        """A dev chain on a node tradefin started: tradefin may set its clock and mine on it (a node you run keeps
        its own time and mining)."""
        return self.is_dev and self.node is not None

    # -- raw JSON-RPC ---------------------------------------------------------------------------------------------

    def rpc_raw(self, method: str, params: Sequence[Any] = ()) -> dict[str, Any]:
        """The JSON-RPC response object, error included; retries transient transport failures."""
        payload = {"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": list(params)}
        reply = self._post(payload, method, timeout=self.timeout)
        if not isinstance(reply, dict):
            raise NodeUnreachable(f"{self.rpc_url} answered {method} with a {type(reply).__name__}, not an object")
        return reply

    def _post(self, payload: Any, what: str, *, timeout: float) -> Any:
        """POST one JSON-RPC request (or batch) and decode the reply. A dropped connection, a timeout or a busy
        answer (HTTP 429, 502-504) is retried after 0.1, 0.3 and 1 s, then raised as one clear error. Retrying is
        safe: every call tradefin makes is a read, or a send of signed bytes (the same transaction twice is one)."""
        body = json.dumps(payload, separators=(",", ":")).encode()
        for attempt, delay in enumerate((*RETRY_DELAYS, None)):
            try:
                status, content = self._send(body, timeout)
                if status in (429, 502, 503, 504):
                    raise requests.ConnectionError(f"HTTP {status}")
                try:
                    return json.loads(content)
                except ValueError:
                    raise NodeUnreachable(f"{self.rpc_url} is not a JSON-RPC endpoint (HTTP {status})") from None
            except (requests.ConnectionError, requests.Timeout, TransportError) as exc:
                if delay is None:
                    raise NodeUnreachable(
                        f"{what} to {self.rpc_url} failed after {attempt + 1} attempts: {_reason(exc)}"
                    ) from None
                log.warning("%s to %s failed (%s); retrying in %.1f s", what, self.rpc_url, _reason(exc), delay)
                time.sleep(delay)
        raise AssertionError("unreachable")

    def _send(self, body: bytes, timeout: float) -> tuple[int, bytes]:
        if self._transport is not None:
            return self._transport.post(body, timeout=timeout)
        response = self._session.post(
            self.rpc_url, data=body, headers={"Content-Type": "application/json"}, timeout=timeout
        )
        return response.status_code, response.content

    def rpc(self, method: str, params: Sequence[Any] = ()) -> Any:
        """The result of a JSON-RPC call, or :class:`RpcError`."""
        reply = self.rpc_raw(method, params)
        if "error" in reply:
            raise RpcError(method, reply["error"])
        return reply.get("result")

    def rpc_batch(self, calls: Sequence[tuple[str, Sequence[Any]]]) -> list[dict[str, Any]]:
        """Several calls in one HTTP request; the replies in the same order as the calls."""
        if not calls:
            return []
        payload = []
        for method, params in calls:
            payload.append({"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": list(params)})
        replies = self._post(payload, f"a batch of {len(calls)} calls", timeout=2 * self.timeout)
        if not isinstance(replies, list):  # some nodes answer a batch they refuse with one error object
            return [self.rpc_raw(method, params) for method, params in calls]
        by_id = {reply.get("id"): reply for reply in replies}
        return [by_id.get(item["id"], {"error": {"message": "missing reply"}}) for item in payload]

    def _try(self, method: str) -> Any:
        try:
            return self.rpc(method)
        except ChainError:
            return None

    # -- reads ----------------------------------------------------------------------------------------------------

    def block_number(self) -> int:
        return int(self.rpc("eth_blockNumber"), 16)

    def block(self, number: int | str = "latest") -> dict[str, Any]:
        tag = hex(number) if isinstance(number, int) else number
        block: dict[str, Any] = self.rpc("eth_getBlockByNumber", [tag, False])
        return block

    def timestamp(self) -> int:
        """The latest block's timestamp."""
        return int(self.block()["timestamp"], 16)

    def balance(self, address: str) -> int:
        return int(self.rpc("eth_getBalance", [address, "latest"]), 16)

    def code(self, address: str) -> bytes:
        return bytes.fromhex(self.rpc("eth_getCode", [address, "latest"])[2:])

    # -- dev-chain controls (Anvil and Hardhat) -----------------------------------------------------------------

    def snapshot(self) -> str:
        return str(self.rpc("evm_snapshot"))

    def revert(self, snapshot_id: str) -> None:
        """Go back to a snapshot. Nonce caches are told, as the chain's nonces went back too."""
        if not self.rpc("evm_revert", [snapshot_id]):
            raise ChainError(f"snapshot {snapshot_id} could not be reverted to")
        for listener in self._revert_listeners:
            listener()

    def on_revert(self, listener: Callable[[], None]) -> None:
        self._revert_listeners.append(listener)

    def set_next_block_timestamp(self, timestamp: int) -> None:
        self.rpc("evm_setNextBlockTimestamp", [hex(timestamp) if self.is_hardhat else timestamp])

    def rewind_clock(self, timestamp: int) -> None:
        """Set the node's clock to ``timestamp`` (Anvil's ``evm_setTime``) on a :attr:`steerable` Anvil; a no-op on
        Hardhat, which has no such call, and on nodes tradefin did not start."""
        if self.steerable and not self.is_hardhat:
            self.rpc("evm_setTime", [timestamp])

    def increase_time(self, seconds: int) -> None:
        self.rpc("evm_increaseTime", [seconds])

    def mine(self, blocks: int = 1) -> None:
        if blocks == 1:
            self.rpc("evm_mine")
        else:
            self.rpc("hardhat_mine" if self.is_hardhat else "anvil_mine", [hex(blocks)])

    def automines(self) -> bool:
        """Whether the node mines each transaction as it arrives (Anvil's and Hardhat's automine); False when it
        cannot say."""
        return self._try("hardhat_getAutomine" if self.is_hardhat else "anvil_getAutomine") is True

    def set_balance(self, address: str, wei: int) -> None:
        self.rpc("hardhat_setBalance" if self.is_hardhat else "anvil_setBalance", [address, hex(wei)])

    def close(self) -> None:
        """Close the HTTP session and stop the node if tradefin started it."""
        for session in self._sessions:
            session.close()
        if self._transport is not None:
            self._transport.close()
        if self.node is not None:
            self.node.stop()

    def __enter__(self) -> Chain:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Chain {self.name} id={self.chain_id}>"


def connect(rpc_url: str, *, dev_chain_ids: Iterable[int] = (), name: str | None = None) -> Chain:
    """Attach to any JSON-RPC node. An unreachable URL raises :class:`NodeUnreachable` naming it."""
    if not rpc_url.startswith(("http://", "https://")):
        raise NodeUnreachable(f"unsupported RPC URL {rpc_url!r}: use http:// or https://")
    return Chain(rpc_url, dev_chain_ids=dev_chain_ids, name=name)
