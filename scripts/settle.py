"""Run tradefin's settlement flows on whatever network you give it.

    ape run settle --network ethereum:local:foundry      # on ape's network (anvil: PATH=node_modules/.bin:$PATH)
    python scripts/settle.py http://127.0.0.1:8545        # on any JSON-RPC node
    python scripts/settle.py                              # on a local Anvil tradefin starts and stops

Thin on purpose: the flows, journal and report live in the tradefin package.
"""

from __future__ import annotations

import sys

from tradefin.context import Context
from tradefin.demo import demo_flows, run_demo


def settle(rpc_url: str | None) -> None:
    with Context.create(rpc_url=rpc_url) as ctx:
        run_demo(ctx, flows=demo_flows())


def main() -> None:
    """Entry point of `ape run settle`: use the RPC endpoint of ape's connected provider."""
    from ape import networks

    provider = networks.active_provider
    url = getattr(provider, "uri", None) or getattr(provider, "http_uri", None)
    if not url or not str(url).startswith("http"):
        raise SystemExit("settle needs an RPC network, e.g. `ape run settle --network ethereum:local:foundry`")
    settle(str(url))


if __name__ == "__main__":
    settle(sys.argv[1] if len(sys.argv) > 1 else None)
