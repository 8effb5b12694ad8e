"""Everything an action needs, bound together: project, chain, build, transactor, accounts, deployments."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tradefin.chain.accounts import AccountBook
from tradefin.chain.connection import Chain, connect
from tradefin.chain.local import start_local_chain
from tradefin.compiler.artifacts import Build
from tradefin.compiler.build import compile_project
from tradefin.deployments import Deployments
from tradefin.project import Project
from tradefin.transactions.reverts import RevertDecoder
from tradefin.transactions.sender import Transactor


@dataclass
class Context:
    """One chain as seen by one project. Close it (or use ``with``) to stop a node tradefin started."""

    project: Project
    chain: Chain
    build: Build
    transactor: Transactor
    accounts: AccountBook
    deployments: Deployments
    owns_chain: bool = field(default=False)

    @classmethod
    def create(
        cls,
        project: Project | None = None,
        *,
        rpc_url: str | None = None,
        chain_id: int = 31337,
        state_file: Path | None = None,
        deployments_dir: Path | None = None,
        keystore_dir: Path | None = None,
        node: str = "anvil",
        genesis_timestamp: int | None = None,
    ) -> Context:
        """Attach to ``rpc_url``, or start a local node (``anvil`` or ``hardhat``) when it is None."""
        project = project or Project.find()
        build = compile_project(project)
        chain = (
            connect(rpc_url)
            if rpc_url
            else start_local_chain(
                project, chain_id=chain_id, state_file=state_file, kind=node, genesis_timestamp=genesis_timestamp
            )
        )
        try:
            return cls.on(
                project,
                chain,
                build,
                deployments_dir=deployments_dir,
                keystore_dir=keystore_dir,
                owns_chain=rpc_url is None,
            )
        except BaseException:
            if rpc_url is None:
                chain.close()
            raise

    @classmethod
    def on(
        cls,
        project: Project,
        chain: Chain,
        build: Build,
        *,
        deployments_dir: Path | None = None,
        keystore_dir: Path | None = None,
        owns_chain: bool = False,
    ) -> Context:
        transactor = Transactor(chain, RevertDecoder(build.all_errors()))
        accounts = AccountBook(chain.chain_id, chain.dev_chain_ids, keystore_dir or project.root / "keystores")
        deployments = Deployments(transactor, build, deployments_dir or project.deployments_dir)
        return cls(project, chain, build, transactor, accounts, deployments, owns_chain)

    def close(self) -> None:
        if self.owns_chain:
            self.chain.close()

    def __enter__(self) -> Context:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
