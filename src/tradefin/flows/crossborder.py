"""Cross-border flows between two ledgers (by default Shanghai and Hong Kong), run by a
:class:`~tradefin.flows.ledgers.LedgerRunner`.

``bridge-and-settle``: the carrier issues a to-order bill in Shanghai; the shipper pledges it to the bridge for
itself in Hong Kong; the committee attests and the relayer claims it on Hong Kong's registry (issued there with its
provenance), then has the claim attested back so the Shanghai bill is final; in Hong Kong the bill is settled by a
D/P collection (the buyer's tokenized HKD pays the shipper and the title moves in one transaction), surrendered and
accomplished.

``cross-chain-dvp``: a second Shanghai bill against HKD in Hong Kong by hash-time locks: the bill locked for the
buyer with the longer timelock, the money for the shipper with the shorter one, both under the SHA-256 of the
shipper's secret; the shipper claims the money (revealing the secret in Hong Kong), the buyer claims the bill with
it. Each lock and the reveal is checked first with :class:`~tradefin.bridge.htlc.DeliveryVersusPayment`'s rules.

Params common to both: ``ledgers`` ({"source"/"title": name, "destination"/"money": name} as below) and
``chain_ids`` ({ledger: chain id}); see each flow's docstring.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from eth_abi import encode
from eth_utils import keccak

from tradefin.bridge.htlc import (
    DeliveryVersusPayment,
    DvpTerms,
    HashTimeLock,
    LockMismatch,
    UnsafeTimelocks,
    title_lock_data,
)
from tradefin.bridge.htlc import hashlock_of as sha256_lock
from tradefin.chain.ledgers import HONG_KONG, SHANGHAI
from tradefin.context import Context
from tradefin.ebl.registry import ISSUER_ROLE, LOCKER_ROLE, TitleRegistry
from tradefin.finance.collection import CollectionInstruction
from tradefin.flows.common import bill_document, bill_id, issue_step
from tradefin.flows.ledgers import LedgerStep
from tradefin.flows.model import Call, Flow, FlowState, Step
from tradefin.money.deposit import DepositToken

AMOUNT = 48_600_000  # HKD 486,000.00
DAY = 86_400
PLEDGE_SECONDS = DAY
"""A pledge expires a day after the bill was issued."""
PRESENTATION_DAYS = 30
TITLE_LOCK_SECONDS = 2 * DAY
MONEY_LOCK_SECONDS = DAY
"""Hash-time locks: the bill's ends two days after its issue, the money's one day after (the shorter one)."""

PLEDGE = "pledge to hong kong"
CLAIM = "claim in hong kong"
CONFIRM = "confirm in shanghai"


def _on(chain: str, *steps: Step) -> list[Step]:
    return [replace(step, chain=chain) for step in steps]


def _hex(value: Any) -> bytes:
    return bytes.fromhex(str(value).removeprefix("0x"))


def _int(value: Any) -> int:
    return int(value, 16) if isinstance(value, str) else int(value)


def chain_id(state: FlowState, ledger: str) -> int:
    return int(state.params["chain_ids"][ledger])


def _grant(role: bytes, label: str, registry_step: str, grantee_step: str) -> Step:
    return Step(
        f"{label}",
        label,
        lambda s: Call("carrier", "TitleRegistry", "grantRole", (role, s.address(grantee_step)), "@" + registry_step),
    )


def _ledgers(params: Mapping[str, Any], first: str, second: str) -> tuple[str, str]:
    names = params.get("ledgers", {})
    return str(names.get(first, SHANGHAI)), str(names.get(second, HONG_KONG))


class BridgeAndSettleFlow(Flow):
    """Params: ``ledgers`` ({"source": ..., "destination": ...}, default Shanghai and Hong Kong), ``chain_ids``
    ({ledger: chain id}), ``committee`` (member addresses) and ``threshold``; ``reference`` of the bill."""

    name = "bridge-and-settle"
    parties = ("carrier", "shipper", "buyer", "collecting_bank", "deployer", "relayer")
    description = (
        "a Shanghai bill pledged to the bridge, claimed in Hong Kong on the committee's attestation, confirmed back "
        "in Shanghai; settled in Hong Kong by D/P collection in tokenized HKD, surrendered and accomplished"
    )

    def steps(self) -> Sequence[Step]:
        src, dst = _ledgers(self.params, "source", "destination")
        members = list(self.params["committee"])
        threshold = int(self.params["threshold"])
        document = bill_document(self.params | {"reference": self.params.get("reference", "OTCLSHA250314101")})
        sh_reg, hk_reg = "deploy registry", f"deploy registry {dst}"
        sh_bridge, hk_bridge = f"deploy bridge {src}", f"deploy bridge {dst}"
        token, collection = "deploy collecting_bank HKD", "deploy collection"

        def pledge_data(s: FlowState) -> bytes:
            expiry = s.results["issue bill"].timestamp + PLEDGE_SECONDS
            return encode(
                ["uint256", "address", "address", "uint64"],
                [chain_id(s, dst), s.address(hk_reg), s.party("shipper"), expiry],
            )

        def pledge_id(s: FlowState) -> bytes:
            return _hex(s.results[PLEDGE].event("BillPledged")["pledgeId"])

        def instruction(s: FlowState) -> bytes:
            return CollectionInstruction.documents_against_payment(
                drawer=s.party("shipper"),
                drawee=s.party("buyer"),
                token=s.address(token),
                amount=AMOUNT,
                presentation_deadline=s.results[CLAIM].timestamp + PRESENTATION_DAYS * DAY,
                collecting_bank=s.party("collecting_bank"),
                remitter_ref=keccak(text=document.transport_document_reference),
            ).encode()

        def on_hk(role: str, function: str, args: Any) -> Any:
            return lambda s: Call(role, "TitleRegistry", function, args(s), "@" + hk_reg)

        return [
            *_on(
                src,
                Step(
                    sh_reg,
                    "carrier deploys its Shanghai eBL registry",
                    lambda s: Call(
                        "carrier", "TitleRegistry", None, ("Carrier eBL Shanghai", "EBL", s.party("carrier"), 0, False)
                    ),
                ),
                Step(
                    "grant issuer",
                    "carrier authorises its issuing desk",
                    lambda s: Call(
                        "carrier", "TitleRegistry", "grantRole", (ISSUER_ROLE, s.party("carrier")), "@" + sh_reg
                    ),
                ),
                Step(
                    sh_bridge,
                    f"bridge operator deploys the bridge, committee {threshold} of {len(members)}",
                    lambda s: Call("deployer", "TitleBridge", None, (s.address(sh_reg), members, threshold)),
                ),
                _grant(LOCKER_ROLE, "carrier lets the bridge hold pledged bills", sh_reg, sh_bridge),
            ),
            *_on(
                dst,
                Step(
                    hk_reg,
                    "carrier deploys its Hong Kong eBL registry",
                    lambda s: Call(
                        "carrier", "TitleRegistry", None, ("Carrier eBL Hong Kong", "EBL", s.party("carrier"), 0, False)
                    ),
                ),
                Step(
                    hk_bridge,
                    f"bridge operator deploys the bridge, committee {threshold} of {len(members)}",
                    lambda s: Call("deployer", "TitleBridge", None, (s.address(hk_reg), members, threshold)),
                ),
                Step(
                    f"grant issuer {dst}",
                    "carrier authorises its Hong Kong desk",
                    lambda s: Call(
                        "carrier", "TitleRegistry", "grantRole", (ISSUER_ROLE, s.party("carrier")), "@" + hk_reg
                    ),
                ),
                _grant(ISSUER_ROLE, "carrier lets the bridge issue claimed bills", hk_reg, hk_bridge),
                Step(
                    token,
                    "collecting bank issues its tokenized HKD deposit",
                    lambda s: Call(
                        "collecting_bank",
                        "DepositToken",
                        None,
                        ("collecting_bank HKD deposit", "dHKD", b"HKD", 2, s.party("collecting_bank")),
                    ),
                ),
                Step(
                    "credit buyer HKD",
                    f"collecting bank credits buyer {AMOUNT / 100:,.2f} HKD",
                    lambda s: Call("collecting_bank", "DepositToken", "mint", (s.party("buyer"), AMOUNT), "@" + token),
                ),
                Step(
                    collection,
                    "collecting bank deploys the collection escrow",
                    lambda s: Call("collecting_bank", "DocumentaryCollection", None, ()),
                ),
                _grant(LOCKER_ROLE, "carrier lets the collection hold bills", hk_reg, collection),
            ),
            *_on(
                src,
                issue_step(document, "shipper"),
                Step(
                    PLEDGE,
                    "shipper pledges the bill to the bridge for Hong Kong",
                    lambda s: Call(
                        "shipper",
                        "TitleRegistry",
                        "encumber",
                        (bill_id(s), s.address(sh_bridge), pledge_data(s)),
                        "@" + sh_reg,
                    ),
                ),
            ),
            LedgerStep(
                CLAIM,
                "committee attests; relayer claims the bill in Hong Kong",
                lambda s: Call("relayer", "TitleBridge", "claim", (pledge_id(s),), s.address(hk_bridge)),
                chain=dst,
                external="relayer",
            ),
            LedgerStep(
                CONFIRM,
                "committee attests the claim; Shanghai bill final",
                lambda s: Call("relayer", "TitleBridge", "confirm", (pledge_id(s),), s.address(sh_bridge)),
                chain=src,
                external="relayer",
            ),
            *_on(
                dst,
                Step(
                    "lodge documents",
                    "shipper lodges the bill for collection, D/P HKD 486,000.00",
                    on_hk("shipper", "encumber", lambda s: (bill_id(s), s.address(collection), instruction(s))),
                ),
                Step(
                    "buyer approves collection",
                    "buyer authorises the collection to debit HKD 486,000.00",
                    lambda s: Call("buyer", "DepositToken", "approve", (s.address(collection), AMOUNT), "@" + token),
                ),
                Step(
                    "pay against documents",
                    "buyer pays; HKD to shipper and title to buyer, one transaction",
                    lambda s: Call(
                        "buyer",
                        "DocumentaryCollection",
                        "pay",
                        (int(s.results["lodge documents"].event("CollectionLodged")["collectionId"]),),
                        "@" + collection,
                    ),
                ),
                Step(
                    "surrender",
                    "buyer surrenders the bill to the carrier for delivery of the goods",
                    on_hk("buyer", "surrender", lambda s: (bill_id(s), 0, b"")),
                ),
                Step(
                    "accept surrender",
                    "carrier releases the goods in Hong Kong: bill accomplished",
                    on_hk("carrier", "acceptSurrender", lambda s: (bill_id(s), b"")),
                ),
            ),
        ]


# -- delivery versus payment -------------------------------------------------------------------------------------

TITLE_HTLC = "deploy htlc title"
MONEY_HTLC = "deploy htlc money"
LOCK_BILL = "lock bill"
LOCK_MONEY = "lock money"
REVEAL = "reveal secret"
CLAIM_BILL = "claim bill"


def dvp_terms(state: FlowState) -> DvpTerms:
    """The agreed terms, from the params (hashlock) and the bill's issue time (both timelocks)."""
    issued = state.results["issue bill"].timestamp
    return DvpTerms(
        seller=state.party("shipper"),
        buyer=state.party("buyer"),
        bill_id=bill_id(state),
        amount=AMOUNT,
        hashlock=_hex(state.params["hashlock"]),
        title_timelock=issued + TITLE_LOCK_SECONDS,
        money_timelock=issued + MONEY_LOCK_SECONDS,
    )


def _dvp(state: FlowState, ledgers: Mapping[str, Context]) -> DeliveryVersusPayment:
    title, money = _ledgers(state.params, "title", "money")
    title_ctx, money_ctx = ledgers[title], ledgers[money]
    return DeliveryVersusPayment(
        title_htlc=HashTimeLock.at(title_ctx, state.address(TITLE_HTLC)),
        registry=TitleRegistry.at(title_ctx, str(state.params["registry"])),
        money_htlc=HashTimeLock.at(money_ctx, state.address(MONEY_HTLC)),
        token=DepositToken.at(money_ctx, str(state.params["token"])),
    )


def check_lock_bill(state: FlowState, ledgers: Mapping[str, Context]) -> None:
    """The seller locks the bill only under timelocks that are safe for the buyer."""
    _dvp(state, ledgers).check_timelocks(dvp_terms(state))


def check_lock_money(state: FlowState, ledgers: Mapping[str, Context]) -> None:
    """The buyer locks the money only against the agreed, live title lock, with safe timelocks."""
    dvp, terms = _dvp(state, ledgers), dvp_terms(state)
    dvp.verify_title_lock(terms)
    dvp.check_timelocks(terms)


def check_reveal(state: FlowState, ledgers: Mapping[str, Context]) -> None:
    """The seller reveals only against the agreed money lock, still open, while the bill stays locked for the buyer
    with the safety margin ahead (the rules of :meth:`DeliveryVersusPayment.reveal`)."""
    dvp, terms = _dvp(state, ledgers), dvp_terms(state)
    if sha256_lock(_hex(state.params["secret"])) != terms.hashlock:
        raise LockMismatch("the seller's secret does not hash to the agreed hashlock")
    money = dvp.verify_money_lock(terms)
    if money.timelock <= dvp.money_htlc.now() + dvp.policy.reveal_window:
        raise LockMismatch(f"the money lock ends at {money.timelock}: too late to claim")
    dvp.verify_title_lock(terms)
    if terms.title_timelock < dvp.title_htlc.now() + dvp.policy.margin:
        raise UnsafeTimelocks(f"the bill's lock ends at {terms.title_timelock}: too soon for the buyer to claim it")


class CrossChainDvpFlow(Flow):
    """Params: ``ledgers`` ({"title": ..., "money": ...}, default Shanghai and Hong Kong), ``registry`` (the title
    ledger's registry, whose carrier issues the bill), ``token`` (the money ledger's HKD deposit, minted by the
    collecting bank), ``secret`` (the shipper's 32-byte secret, hex: the journal is the shipper's own store) and
    ``hashlock`` (its SHA-256, the only part the buyer uses); ``reference`` of the bill."""

    name = "cross-chain-dvp"
    parties = ("carrier", "shipper", "buyer", "collecting_bank", "deployer")
    description = (
        "delivery versus payment across the ledgers: the bill locked in Shanghai (longer timelock), HKD locked in "
        "Hong Kong (shorter), the shipper's claim of the money reveals the secret that releases the bill to the buyer"
    )

    def steps(self) -> Sequence[Step]:
        title, money = _ledgers(self.params, "title", "money")
        document = bill_document(self.params | {"reference": self.params.get("reference", "OTCLSHA250314102")})
        registry, token = str(self.params["registry"]), str(self.params["token"])

        def lock_id(step: str, event: str) -> Any:
            return lambda s: _hex(s.results[step].event(event)["lockId"])

        title_lock = lock_id(LOCK_BILL, "TitleHashLocked")
        money_lock = lock_id(LOCK_MONEY, "TokensHashLocked")
        return [
            *_on(
                title,
                Step(
                    TITLE_HTLC, "deploys the Shanghai hash-time lock", lambda s: Call("deployer", "HashTimeLock", None)
                ),
                Step(
                    "authorise htlc",
                    "carrier lets the hash-time lock hold bills",
                    lambda s: Call(
                        "carrier", "TitleRegistry", "grantRole", (LOCKER_ROLE, s.address(TITLE_HTLC)), registry
                    ),
                ),
            ),
            *_on(
                money,
                Step(
                    MONEY_HTLC, "deploys the Hong Kong hash-time lock", lambda s: Call("deployer", "HashTimeLock", None)
                ),
                Step(
                    "credit buyer HKD",
                    f"collecting bank credits buyer {AMOUNT / 100:,.2f} HKD",
                    lambda s: Call("collecting_bank", "DepositToken", "mint", (s.party("buyer"), AMOUNT), token),
                ),
            ),
            *_on(title, issue_step(document, "shipper")),
            LedgerStep(
                LOCK_BILL,
                "shipper locks the bill for the buyer under the hashlock, 2 days",
                lambda s: Call(
                    "shipper",
                    "TitleRegistry",
                    "encumber",
                    (
                        bill_id(s),
                        s.address(TITLE_HTLC),
                        title_lock_data(s.party("buyer"), dvp_terms(s).hashlock, dvp_terms(s).title_timelock),
                    ),
                    registry,
                ),
                chain=title,
                check=check_lock_bill,
            ),
            *_on(
                money,
                Step(
                    "buyer approves htlc",
                    "buyer authorises the hash-time lock to take HKD 486,000.00",
                    lambda s: Call("buyer", "DepositToken", "approve", (s.address(MONEY_HTLC), AMOUNT), token),
                ),
            ),
            LedgerStep(
                LOCK_MONEY,
                "buyer checks the bill's lock, locks HKD for the shipper, 1 day",
                lambda s: Call(
                    "buyer",
                    "HashTimeLock",
                    "lockTokens",
                    (token, AMOUNT, s.party("shipper"), dvp_terms(s).hashlock, dvp_terms(s).money_timelock),
                    "@" + MONEY_HTLC,
                ),
                chain=money,
                check=check_lock_money,
            ),
            LedgerStep(
                REVEAL,
                "shipper claims the HKD, revealing the secret",
                lambda s: Call(
                    "shipper", "HashTimeLock", "claim", (money_lock(s), _hex(s.params["secret"])), "@" + MONEY_HTLC
                ),
                chain=money,
                check=check_reveal,
            ),
            LedgerStep(
                CLAIM_BILL,
                "buyer claims the bill with the secret read in Hong Kong",
                lambda s: Call(
                    "buyer",
                    "HashTimeLock",
                    "claim",
                    (title_lock(s), _hex(s.results[REVEAL].event("LockClaimed")["preimage"])),
                    "@" + TITLE_HTLC,
                ),
                chain=title,
            ),
            *_on(
                title,
                Step(
                    "surrender",
                    "buyer surrenders the bill to the carrier for delivery of the goods",
                    lambda s: Call("buyer", "TitleRegistry", "surrender", (bill_id(s), 0, b""), registry),
                ),
                Step(
                    "accept surrender",
                    "carrier releases the goods: bill accomplished",
                    lambda s: Call("carrier", "TitleRegistry", "acceptSurrender", (bill_id(s), b""), registry),
                ),
            ),
        ]


CROSS_BORDER_FLOWS: dict[str, type[Flow]] = {f.name: f for f in (BridgeAndSettleFlow, CrossChainDvpFlow)}
"""The flows a :class:`~tradefin.flows.ledgers.LedgerRunner` resumes by name."""


def demo_secret(label: str = "tradefin cross-border demo") -> bytes:
    """A fixed secret for the demo's own fresh chains only (byte-identical runs); anywhere else use
    :func:`tradefin.bridge.htlc.new_secret`."""
    return keccak(text=label)
