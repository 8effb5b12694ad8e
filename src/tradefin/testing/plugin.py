"""pytest plugin: one Anvil and one build per session, each test isolated by snapshot and revert.

Fixtures: ``project``, ``build``, ``session_chain``, ``chain`` (isolated), ``ctx`` (a :class:`Context` whose
deployments are recorded in a temporary folder), ``accounts`` and one fixture per role (``carrier``,
``shipper``, ``buyer``, ``issuing_bank``, ``advising_bank``, ``confirming_bank``, ``financier``, ...).
A test that uses none of them never starts a node. ``--contract-coverage`` comes from :mod:`tradefin.testing.coverage`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from eth_account.signers.local import LocalAccount

from tradefin.chain.accounts import ROLES, AccountBook
from tradefin.chain.connection import Chain
from tradefin.chain.local import start_local_chain
from tradefin.compiler.artifacts import Build
from tradefin.compiler.build import compile_project
from tradefin.context import Context
from tradefin.project import Project
from tradefin.testing import contract_lines

pytest_plugins = ["tradefin.testing.coverage"]


@pytest.fixture(scope="session")
def project(pytestconfig: pytest.Config) -> Project:
    return Project.find(pytestconfig.rootpath)


@pytest.fixture(scope="session")
def build(project: Project) -> Build:
    return compile_project(project)


@pytest.fixture(scope="session")
def session_chain(project: Project, pytestconfig: pytest.Config) -> Iterator[Chain]:
    lines = pytestconfig.getoption("contract_lines", False)  # step traces for contract line coverage
    chain = start_local_chain(project, anvil_args=contract_lines.ANVIL_ARGS if lines else ())
    yield chain
    chain.close()


@pytest.fixture(autouse=True)
def _tradefin_isolation(request: pytest.FixtureRequest) -> Iterator[None]:
    """Snapshot before and revert after every test that touches the session chain."""
    if "session_chain" not in request.fixturenames:
        yield
        return
    chain: Chain = request.getfixturevalue("session_chain")
    snapshot = chain.snapshot()
    yield
    chain.revert(snapshot)


@pytest.fixture
def chain(session_chain: Chain) -> Chain:
    """The session chain; whatever the test does to it is reverted afterwards."""
    return session_chain


@pytest.fixture(scope="session")
def ctx(project: Project, session_chain: Chain, build: Build, tmp_path_factory: pytest.TempPathFactory) -> Context:
    return Context.on(project, session_chain, build, deployments_dir=tmp_path_factory.mktemp("deployments"))


@pytest.fixture(scope="session")
def accounts(ctx: Context) -> AccountBook:
    return ctx.accounts


def _role_fixture(role: str) -> Callable[..., LocalAccount]:
    def fixture(accounts: AccountBook) -> LocalAccount:
        return accounts[role]

    fixture.__name__ = role
    fixture.__doc__ = f"The {role.replace('_', ' ')}'s dev account."
    return fixture


_namespace: dict[str, Any] = globals()
for _role in ROLES:
    _namespace[_role] = pytest.fixture(scope="session", name=_role)(_role_fixture(_role))
