"""A context per ledger: the project's build, a transactor, accounts and deployments on each named chain."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from tradefin.chain.ledgers import LEDGER_CHAIN_IDS, check_ledger, kept_chains, open_chains
from tradefin.compiler.build import compile_project
from tradefin.context import Context
from tradefin.project import Project


@dataclass
class Ledgers(Mapping[str, Context]):
    """Contexts by ledger name, in ledger order (the first is the home ledger). Close it to stop started nodes."""

    contexts: dict[str, Context]
    restored: bool = False
    """Some local chain was started from a state file an earlier command left."""

    @classmethod
    def open(
        cls,
        project: Project | None = None,
        *,
        rpc_urls: Mapping[str, str] | None = None,
        chain_ids: Mapping[str, int] | None = None,
        state_dir: Path | None = None,
        genesis_timestamp: int | None = None,
        deployments_dir: Path | None = None,
    ) -> Ledgers:
        """Attach to ``rpc_urls`` ({ledger: url}) or start a local chain per ledger (see
        :func:`tradefin.chain.ledgers.open_chains`)."""
        project = project or Project.find()
        build = compile_project(project)
        restored = not rpc_urls and kept_chains(state_dir, chain_ids or LEDGER_CHAIN_IDS)
        chains = open_chains(
            project, rpc_urls=rpc_urls, chain_ids=chain_ids, state_dir=state_dir, genesis_timestamp=genesis_timestamp
        )
        owned = not rpc_urls
        contexts = {
            name: Context.on(project, chain, build, deployments_dir=deployments_dir, owns_chain=owned)
            for name, chain in chains.items()
        }
        return cls(contexts, restored)

    def __getitem__(self, name: str) -> Context:
        return self.contexts[check_ledger(name, self.contexts)]

    def __iter__(self) -> Iterator[str]:
        return iter(self.contexts)

    def __len__(self) -> int:
        return len(self.contexts)

    @property
    def home(self) -> str:
        return next(iter(self.contexts))

    def name_of(self, chain_id: int) -> str:
        """The ledger of ``chain_id`` (its id as text if no ledger is that chain)."""
        for name, ctx in self.contexts.items():
            if ctx.chain.chain_id == chain_id:
                return name
        return str(chain_id)

    @property
    def fresh(self) -> bool:
        """Every chain was started here, new (not from a state file): pinned times from genesis are safe to set."""
        started = all(ctx.owns_chain and ctx.chain.node is not None for ctx in self.contexts.values())
        return started and not self.restored

    def close(self) -> None:
        for ctx in self.contexts.values():
            ctx.close()

    def __enter__(self) -> Ledgers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
