"""Two ledgers: Shanghai (the plugin's chain, 31337) and Hong Kong (a second Anvil, 31338), a registry and a
bridge on each, one committee of four fresh keys with threshold three."""

import itertools
from collections.abc import Callable, Iterator

import pytest
from eth_account import Account
from eth_utils import keccak

from tradefin.bridge import Committee, TitleBridge
from tradefin.chain.local import start_local_chain
from tradefin.context import Context
from tradefin.ebl import ConsignmentForm, DocumentKind, TitleRegistry

HONG_KONG_CHAIN_ID = 31338
THRESHOLD = 3
_serial = itertools.count()


@pytest.fixture(scope="session")
def hk_chain(project):
    chain = start_local_chain(project, chain_id=HONG_KONG_CHAIN_ID, name="anvil:hong-kong")
    yield chain
    chain.close()


@pytest.fixture(scope="session")
def hk_ctx(project, hk_chain, build, tmp_path_factory) -> Context:
    return Context.on(project, hk_chain, build, deployments_dir=tmp_path_factory.mktemp("hk-deployments"))


@pytest.fixture(autouse=True)
def _hk_isolation(hk_chain, session_chain) -> Iterator[None]:
    """Snapshot the Hong Kong chain around every test (the plugin does the same for Shanghai)."""
    snapshot = hk_chain.snapshot()
    yield
    hk_chain.revert(snapshot)


@pytest.fixture(scope="session")
def members() -> list:
    """Four committee members, each with a fresh key."""
    return sorted((Account.create() for _ in range(4)), key=lambda a: int(a.address, 16))


@pytest.fixture(scope="session")
def committee(members) -> Committee:
    return Committee(members, THRESHOLD)


@pytest.fixture(scope="session")
def sh_registry(ctx, carrier) -> TitleRegistry:
    return TitleRegistry.deploy(ctx, carrier, symbol="EBL-SH")


@pytest.fixture(scope="session")
def hk_registry(hk_ctx, carrier) -> TitleRegistry:
    return TitleRegistry.deploy(hk_ctx, carrier, symbol="EBL-HK")


@pytest.fixture(scope="session")
def sh_bridge(ctx, deployer, carrier, sh_registry, committee) -> TitleBridge:
    bridge = TitleBridge.deploy(ctx, deployer, sh_registry, committee.addresses, THRESHOLD)
    bridge.authorise(admin=carrier)
    return bridge


@pytest.fixture(scope="session")
def hk_bridge(hk_ctx, deployer, carrier, hk_registry, committee) -> TitleBridge:
    bridge = TitleBridge.deploy(hk_ctx, deployer, hk_registry, committee.addresses, THRESHOLD)
    bridge.authorise(admin=carrier)
    return bridge


def _issuer(registry: TitleRegistry, carrier) -> Callable[..., int]:
    def issue(owner, *, form: ConsignmentForm = ConsignmentForm.TO_ORDER) -> int:
        digest = keccak(text=f"bridged bill {next(_serial)}")
        return registry.issue(
            digest,
            beneficiary=owner.address,
            holder=owner.address,
            sender=carrier,
            kind=DocumentKind.NEGOTIABLE_BILL_OF_LADING,
            form=form,
        ).id

    return issue


@pytest.fixture
def issue_sh(sh_registry, carrier) -> Callable[..., int]:
    """Issue a fresh bill on the Shanghai registry to an owner (beneficiary and holder)."""
    return _issuer(sh_registry, carrier)


@pytest.fixture
def issue_hk(hk_registry, carrier) -> Callable[..., int]:
    return _issuer(hk_registry, carrier)


@pytest.fixture
def expiry(session_chain, hk_chain) -> int:
    """One hour after the later of the two chains' clocks."""
    return max(session_chain.timestamp(), hk_chain.timestamp()) + 3600


@pytest.fixture
def advance(session_chain, hk_chain) -> Callable[[int], None]:
    """Move both chains to ``seconds`` after the later of their two clocks, and mine a block on each (pinned
    times: the two clocks may disagree, and neither follows the wall clock exactly)."""

    def advance(seconds: int) -> None:
        target = max(session_chain.timestamp(), hk_chain.timestamp()) + seconds
        for chain in (session_chain, hk_chain):
            chain.set_next_block_timestamp(max(target, chain.timestamp() + 1))
            chain.mine()

    return advance
