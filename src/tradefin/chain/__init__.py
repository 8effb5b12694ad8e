"""Chains and accounts: start or attach a node, know whether it is a dev chain, resolve roles to keys."""

from tradefin.chain.accounts import ROLES, AccountBook, dev_account, guard_dev_key, load_keystore
from tradefin.chain.connection import Chain, RpcError, connect
from tradefin.chain.local import start_local_chain
from tradefin.chain.node import LocalNode, anvil, free_port

__all__ = [
    "ROLES",
    "AccountBook",
    "Chain",
    "LocalNode",
    "RpcError",
    "anvil",
    "connect",
    "dev_account",
    "free_port",
    "guard_dev_key",
    "load_keystore",
    "start_local_chain",
]
