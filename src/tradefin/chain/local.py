"""Start a local chain for a project: Anvil or Hardhat from its node_modules, attached and ready."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tradefin.chain.connection import Chain
from tradefin.chain.node import DEFAULT_CHAIN_ID, anvil, hardhat
from tradefin.errors import ConfigError
from tradefin.project import Project

NODE_KINDS = ("anvil", "hardhat")


def start_local_chain(
    project: Project,
    *,
    chain_id: int = DEFAULT_CHAIN_ID,
    state_file: Path | None = None,
    name: str | None = None,
    block_time: float | None = None,
    kind: str = "anvil",
    genesis_timestamp: int | None = None,
    anvil_args: Sequence[str] = (),
) -> Chain:
    """A fresh local node (Anvil, or a Hardhat network node) on a free 127.0.0.1 port; closing the chain stops
    it. Dev keys may sign on it."""
    if kind == "anvil":
        node = anvil(
            project.anvil_binary,
            chain_id=chain_id,
            state_file=state_file,
            block_time=block_time,
            genesis_timestamp=genesis_timestamp,
            extra_args=anvil_args,
        ).start()
    elif kind == "hardhat":
        if state_file is not None:
            raise ConfigError("--state-file needs Anvil: a Hardhat node keeps no state across restarts")
        node = hardhat(project.root, chain_id=chain_id).start()
    else:
        raise ConfigError(f"unknown node {kind!r}; one of {', '.join(NODE_KINDS)}")
    try:
        return Chain(node.url, node=node, dev_chain_ids={chain_id}, name=name or f"{kind}:{chain_id}")
    except BaseException:
        node.stop()
        raise
