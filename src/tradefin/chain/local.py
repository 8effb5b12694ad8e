"""Start a local chain for a project: Anvil from its node_modules, attached and ready."""

from __future__ import annotations

from pathlib import Path

from tradefin.chain.connection import Chain
from tradefin.chain.node import DEFAULT_CHAIN_ID, anvil
from tradefin.project import Project


def start_local_chain(
    project: Project,
    *,
    chain_id: int = DEFAULT_CHAIN_ID,
    state_file: Path | None = None,
    name: str | None = None,
    block_time: float | None = None,
) -> Chain:
    """A fresh Anvil on a free 127.0.0.1 port; closing the chain stops it. Dev keys may sign on it."""
    node = anvil(project.anvil_binary, chain_id=chain_id, state_file=state_file, block_time=block_time).start()
    try:
        return Chain(node.url, node=node, dev_chain_ids={chain_id}, name=name or f"local:{chain_id}")
    except BaseException:
        node.stop()
        raise
