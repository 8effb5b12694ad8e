"""The public SDK given bad input: the specific exception (the revert named after the contract's custom error, or a
:class:`~tradefin.errors.TradefinError` subclass of the toolkit's own), and nothing sent (no block mined, every
role's nonce unchanged).

Clients: TitleRegistry, DocumentaryCredit, TitleLoans, DocumentaryCollections, DepositToken, ConsentRegistry,
DocumentAnchors, DocumentStore, TitleBridge, FlowRunner and Journal, Deployments. An entry may prepare state first
(``setup``): what it sends is not counted, only what the bad call sends.

Catalogue size: 102 bad calls. Four began as strict xfails naming gaps in the transaction layer and the flow runner
(eth-abi's errors escaping as themselves; a flow's ``ValueError`` passed through); those now raise
``ArgumentError``, ``NoContract`` and ``FlowParamsError``.
"""

from __future__ import annotations

# ruff: noqa: E501 (a table: one bad call per line reads best)
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from types import SimpleNamespace
from typing import Any

import pytest
from pydantic import ValidationError

from tradefin import errors
from tradefin.data import (
    ConsentDenied,
    DocumentAnchors,
    DocumentStore,
    DocumentType,
    KeyUnavailable,
    RequestExpired,
    RequestWrongChain,
    StoreKey,
    purpose_code,
    sign_document_request,
)
from tradefin.data.consent import ConsentRegistry
from tradefin.documents.transport import TransportDocument
from tradefin.ebl.registry import TitleRegistry, title_id
from tradefin.ebl.types import ZERO_ADDRESS
from tradefin.errors import DeploymentError, TradefinError
from tradefin.finance.collection import CollectionInstruction, DocumentaryCollections, UntrustedCollection
from tradefin.finance.credit import CreditTerms, DocumentaryCredit, document_type, presentation_data
from tradefin.finance.loan import LoanTerms, TitleLoans, WrongRegistry
from tradefin.flows import FLOWS, FlowRunner, Journal, JournalError
from tradefin.money.deposit import DepositToken, currency_code

from .conftest import NO_CODE

DAY = 86_400
UNKNOWN_BILL = int("ab" * 32, 16)


def revert(name: str) -> type[errors.ContractRevert]:
    return errors.revert_class(name)


@dataclass(frozen=True)
class Bad:
    id: str
    call: Callable[[Any], Any]
    raises: type[BaseException]
    match: str = ""
    setup: Callable[[Any], Any] | None = None


@pytest.fixture(scope="module")
def sdk(world, project, session_chain, build, tmp_path_factory):
    """The world's contracts as SDK clients, plus a title bridge and a document store (undone after the module)."""
    from tradefin.bridge.client import TitleBridge
    from tradefin.context import Context

    snapshot = session_chain.snapshot()
    folder = tmp_path_factory.mktemp("sdk") / "deployments"
    shutil.copytree(world.folder, folder)
    ctx = Context.on(project, session_chain, build, deployments_dir=folder)
    a = ctx.accounts
    registry = TitleRegistry(ctx.deployments.at("TitleRegistry:EBL"))
    token_name = next(n for n in ctx.deployments.records() if n.startswith("DepositToken"))
    bridge = TitleBridge.deploy(ctx, a["carrier"], registry, [a["relayer"].address], 1)
    bridge.authorise(admin=a["carrier"])
    files = tmp_path_factory.mktemp("sdk-files")
    key = StoreKey.generate()
    consents = ConsentRegistry(ctx.deployments.at("ConsentRegistry"))
    anchors = DocumentAnchors(ctx.deployments.at("DocumentAnchors"))
    store = DocumentStore(files / "store.sqlite", key, consents=consents, anchors=anchors)
    journal = Journal(world.files / "journal.sqlite")
    w = SimpleNamespace(
        ctx=ctx,
        a=a,
        now=session_chain.timestamp(),
        bill=int(world.values["bill"], 16),
        document=TransportDocument.from_dcsa((world.files / "bill.json").read_text()),
        unissued=TransportDocument.from_dcsa((world.files / "unissued.json").read_text()),
        registry=registry,
        credits=DocumentaryCredit(ctx.deployments.at("DocumentaryCredit"), ctx.deployments),
        loans=TitleLoans(ctx.deployments.at("TitleLoan"), ctx.deployments),
        collections=DocumentaryCollections(ctx.deployments.at("DocumentaryCollection")),
        token=DepositToken(ctx.deployments.at(token_name)),
        consents=consents,
        anchors=anchors,
        store=store,
        key=key,
        files=files,
        bridge=bridge,
        journal=journal,
        runner=FlowRunner(ctx, journal, FLOWS),
        folder=folder,
    )
    yield w
    store.close()
    journal.close()
    session_chain.revert(snapshot)


# -- builders -----------------------------------------------------------------------------------------------------


def credit_terms(w: Any, **changes: Any) -> CreditTerms:
    terms = CreditTerms(
        issuing_bank=w.a["issuing_bank"].address,
        beneficiary=w.a["shipper"].address,
        token=w.token.address,
        registry=w.registry.address,
        amount=100_00,
        expiry=w.now + 60 * DAY,
        latest_shipment=w.now + 30 * DAY,
    )
    return replace(terms, **changes)


def loan_terms(w: Any, **changes: Any) -> LoanTerms:
    terms = LoanTerms(
        borrower=w.a["shipper"].address,
        registry=w.registry.address,
        bill_id=w.bill,
        invoice_hash=b"\x11" * 32,
        token=w.token.address,
        principal=100_00,
        interest=1_00,
        maturity=w.now + 60 * DAY,
        offer_expiry=w.now + 30 * DAY,
    )
    return replace(terms, **changes)


def dp(w: Any, **changes: Any) -> CollectionInstruction:
    instruction = CollectionInstruction.documents_against_payment(
        drawer=w.a["shipper"].address,
        drawee=w.a["buyer"].address,
        token=w.token.address,
        amount=100_00,
        presentation_deadline=w.now + 30 * DAY,
    )
    return replace(instruction, **changes)


def lodged(w: Any) -> int:
    return w.collections.lodge(w.registry, w.bill, dp(w), sender=w.a["shipper"])


def accepted_draft(w: Any) -> int:
    """A D/A collection of the world's bill, accepted by the buyer: its draft matures in 30 days."""
    instruction = CollectionInstruction.documents_against_acceptance(
        drawer=w.a["shipper"].address,
        drawee=w.a["buyer"].address,
        token=w.token.address,
        amount=100_00,
        presentation_deadline=w.now + 10 * DAY,
        tenor=30 * DAY,
    )
    cid = w.collections.lodge(w.registry, w.bill, instruction, sender=w.a["shipper"])
    w.collections.accept(cid, sender=w.a["buyer"])
    return cid


def at_maturity(w: Any) -> None:
    """:func:`accepted_draft`, then a block mined at its maturity."""
    w.ctx.chain.set_next_block_timestamp(w.collections.collection(accepted_draft(w)).maturity)
    w.ctx.chain.mine()


def offered(w: Any) -> int:
    return w.loans.offer(loan_terms(w), sender=w.a["financier"])


def request_for(w: Any, **changes: Any) -> Any:
    fields = {
        "owner": w.a["shipper"].address,
        "documents": [b"\x22" * 32],
        "purpose": "TRADE_FINANCE",
        "chain_id": w.ctx.chain.chain_id,
        "registry": w.consents.address,
        "deadline": w.now + 10 * DAY,
    }
    return sign_document_request(w.a["financier"], **{**fields, **changes})


def foreign_book(w: Any) -> Any:
    from tradefin.deployments import Deployments

    path = w.folder / f"{w.ctx.chain.chain_id}.json"
    path.write_text(json.dumps(dict(json.loads(path.read_text()), chain_id=5)))
    try:
        return Deployments(w.ctx.transactor, w.ctx.build, w.folder)
    finally:
        path.write_text(json.dumps(dict(json.loads(path.read_text()), chain_id=w.ctx.chain.chain_id)))


def foreign_store(w: Any) -> Any:
    DocumentStore(w.files / "store.sqlite", StoreKey.generate())


def pledge(w: Any, **changes: Any) -> Any:
    fields = {
        "destination_chain_id": 4242,
        "destination_registry": w.registry.address,
        "recipient": w.a["buyer"].address,
        "expiry": w.now + 10 * DAY,
        "sender": w.a["shipper"],
    }
    return w.bridge.pledge(w.bill, **{**fields, **changes})


def relay_signed(w: Any, **changes: Any) -> Any:
    fields = {"signer": w.a["shipper"], "deadline": w.now + DAY}
    request = w.registry.sign("TransferHolder", w.bill, w.a["buyer"].address, **{**fields, **changes})
    return w.registry.relay(request, sender=w.a["relayer"])


def relay_for_chain(w: Any, chain_id: int) -> Any:
    from tradefin.ebl.signing import sign_request

    request = sign_request(
        w.a["shipper"],
        "TransferHolder",
        chain_id=chain_id,
        registry=w.registry.address,
        title_id=w.bill,
        target=w.a["buyer"].address,
        remark=b"",
        nonce=w.registry.nonce(w.a["shipper"].address),
        deadline=w.now + DAY,
    )
    return w.registry.relay(request, sender=w.a["relayer"])


# -- the catalogue ------------------------------------------------------------------------------------------------


# fmt: off
CATALOGUE: list[Bad] = [
    # TitleRegistry
    Bad("registry: malformed document", lambda w: TransportDocument.from_dcsa('{"shippedOnBoardDate": 1}'), ValidationError),
    Bad("registry: document not JSON", lambda w: TransportDocument.from_dcsa("{oops"), ValidationError),
    Bad(
        "registry: issued twice",
        lambda w: w.registry.issue(w.document, beneficiary=w.a["shipper"].address, holder=w.a["shipper"].address, sender=w.a["carrier"]),
        revert("TitleAlreadyIssued"),
    ),
    Bad(
        "registry: issue wrong role",
        lambda w: w.registry.issue(w.unissued, beneficiary=w.a["shipper"].address, holder=w.a["shipper"].address, sender=w.a["shipper"]),
        revert("AccessControlUnauthorizedAccount"),
    ),
    Bad(
        "registry: issue to zero address",
        lambda w: w.registry.issue(w.unissued, beneficiary=ZERO_ADDRESS, holder=ZERO_ADDRESS, sender=w.a["carrier"]),
        revert("TitleZeroAddress"),
    ),
    Bad(
        "registry: issue by hash without kind",
        lambda w: w.registry.issue(b"\x01" * 32, beneficiary=w.a["shipper"].address, holder=w.a["shipper"].address, sender=w.a["carrier"]),
        TradefinError,
        "needs kind and form",
    ),
    Bad("registry: transfer unknown bill", lambda w: w.registry.transfer_holder(UNKNOWN_BILL, w.a["buyer"].address, sender=w.a["shipper"]), revert("TitleNotIssued")),
    Bad("registry: transfer wrong role", lambda w: w.registry.transfer_holder(w.bill, w.a["buyer"].address, sender=w.a["buyer"]), revert("TitleNotHolder")),
    Bad("registry: transfer to zero address", lambda w: w.registry.transfer_holder(w.bill, ZERO_ADDRESS, sender=w.a["shipper"]), revert("TitleZeroAddress")),
    Bad("registry: endorse wrong role", lambda w: w.registry.endorse(w.bill, w.a["buyer"].address, sender=w.a["carrier"]), revert("TitleNotHolder")),
    Bad("registry: surrender wrong role", lambda w: w.registry.surrender(w.bill, sender=w.a["buyer"]), revert("TitleNotBeneficiary")),
    Bad("registry: accept not surrendered", lambda w: w.registry.accept_surrender(w.bill, sender=w.a["carrier"]), revert("TitleNotSurrendered")),
    Bad("registry: accept surrender of unknown bill", lambda w: w.registry.accept_surrender(UNKNOWN_BILL, sender=w.a["carrier"]), revert("TitleNotIssued")),
    Bad("registry: reject surrender of unknown bill", lambda w: w.registry.reject_surrender(UNKNOWN_BILL, sender=w.a["carrier"]), revert("TitleNotIssued")),
    Bad("registry: amend unknown bill", lambda w: w.registry.amend(UNKNOWN_BILL, b"\x66" * 32, sender=w.a["carrier"]), revert("TitleNotIssued")),
    Bad("registry: release unknown bill", lambda w: w.registry.release(UNKNOWN_BILL, sender=w.a["shipper"]), revert("TitleNotIssued")),
    Bad("registry: zero bill id", lambda w: title_id(0), TradefinError, "not a bill reference"),
    Bad("registry: short document hash", lambda w: w.registry.title(b"\x01" * 31), TradefinError, "32 bytes"),
    Bad("registry: unknown signed action", lambda w: w.registry.sign("Steal", w.bill, w.a["buyer"].address, signer=w.a["shipper"]), TradefinError, "unknown signed action"),
    Bad("registry: signed request past its deadline", lambda w: relay_signed(w, deadline=w.now - DAY), revert("TitleSignatureExpired")),
    Bad("registry: signed request of the wrong signer", lambda w: relay_signed(w, signer=w.a["buyer"]), revert("TitleNotHolder")),
    Bad("registry: signed request for another chain", lambda w: relay_for_chain(w, 1), revert("TitleInvalidSignature")),
    Bad("registry: invalidate nonces backwards", lambda w: w.registry.invalidate_nonces(sender=w.a["shipper"], new_nonce=0), revert("TitleNonceNotIncreased")),
    Bad("registry: invalidate to a negative nonce", lambda w: w.registry.invalidate_nonces(sender=w.a["shipper"], new_nonce=-1), errors.ArgumentError),
    Bad("registry: reject with no earlier holder", lambda w: w.registry.reject_transfer_holder(w.bill, sender=w.a["shipper"]), TradefinError),
    Bad("registry: malformed address", lambda w: w.registry.transfer_holder(w.bill, "0x1234", sender=w.a["shipper"]), TradefinError),
    Bad("registry: no contract at the address", lambda w: TitleRegistry.at(w.ctx, NO_CODE).title(w.bill), TradefinError),
    # DocumentaryCredit
    Bad("credit: past expiry", lambda w: w.credits.request(credit_terms(w, expiry=w.now - DAY, latest_shipment=w.now - DAY), sender=w.a["buyer"]), revert("CreditExpiryInPast")),
    Bad("credit: zero amount", lambda w: w.credits.request(credit_terms(w, amount=0), sender=w.a["buyer"]), revert("CreditInvalidAmount")),
    Bad("credit: zero issuing bank", lambda w: w.credits.request(credit_terms(w, issuing_bank=ZERO_ADDRESS), sender=w.a["buyer"]), revert("CreditZeroAddress")),
    Bad("credit: shipment after expiry", lambda w: w.credits.request(credit_terms(w, latest_shipment=w.now + 90 * DAY), sender=w.a["buyer"]), revert("CreditShipmentAfterExpiry")),
    Bad("credit: issue wrong role", lambda w: w.credits.issue(1, sender=w.a["advising_bank"]), revert("CreditNotIssuingBank")),
    Bad("credit: issue without cover", lambda w: w.credits.issue(1, sender=w.a["issuing_bank"]), revert("ERC20InsufficientAllowance")),
    Bad("credit: unknown credit", lambda w: w.credits.issue(99, sender=w.a["issuing_bank"]), revert("CreditNotRequested")),
    Bad("credit: cancel wrong role", lambda w: w.credits.cancel_request(1, sender=w.a["shipper"]), revert("CreditNotApplicant")),
    Bad("credit: advise before issue", lambda w: w.credits.advise(1, sender=w.a["advising_bank"]), revert("CreditNotIssued")),
    Bad("credit: honour unknown presentation", lambda w: w.credits.honour(1, 7, sender=w.a["issuing_bank"]), errors.ContractRevert, "Credit"),
    Bad("credit: present unknown bill", lambda w: w.credits.present(w.registry, UNKNOWN_BILL, 1, 100_00, {}, sender=w.a["shipper"]), revert("TitleNotIssued")),
    Bad("credit: present before issue", lambda w: w.credits.present(w.registry, w.bill, 1, 100_00, {}, sender=w.a["shipper"]), errors.ContractRevert, "Credit"),
    Bad("credit: document type too long", lambda w: document_type("X" * 33), TradefinError, "1 to 32 ASCII"),
    Bad("credit: document hash too short", lambda w: presentation_data(1, 1, {b"\x01" * 32: b"\x02" * 31}), TradefinError, "32 bytes"),
    Bad("credit: zero drawing", lambda w: credit_terms(w).check_drawing(0, 0), TradefinError, "positive"),
    Bad("credit: overdrawing", lambda w: credit_terms(w).check_drawing(100_01, 0), TradefinError, "exceeds"),
    # TitleLoans
    Bad("loan: past schedule", lambda w: w.loans.offer(loan_terms(w, maturity=w.now - DAY, offer_expiry=w.now - 2 * DAY), sender=w.a["financier"]), revert("LoanInvalidSchedule")),
    Bad("loan: zero principal", lambda w: w.loans.offer(loan_terms(w, principal=0), sender=w.a["financier"]), revert("LoanZeroPrincipal")),
    Bad("loan: zero borrower", lambda w: w.loans.offer(loan_terms(w, borrower=ZERO_ADDRESS), sender=w.a["financier"]), revert("LoanZeroAddress")),
    Bad("loan: zero invoice", lambda w: w.loans.offer(loan_terms(w, invoice_hash=bytes(32)), sender=w.a["financier"]), revert("LoanZeroInvoiceHash")),
    Bad("loan: self financing", lambda w: w.loans.offer(loan_terms(w), sender=w.a["shipper"]), revert("LoanSelfFinancing")),
    Bad("loan: repay unknown loan", lambda w: w.loans.repay(9, sender=w.a["shipper"]), errors.ContractRevert, "Loan"),
    Bad("loan: withdraw unknown loan", lambda w: w.loans.withdraw_offer(9, sender=w.a["financier"]), errors.ContractRevert, "Loan"),
    Bad("loan: pledge to another registry", lambda w: w.loans.accept(1, TitleRegistry.at(w.ctx, w.collections.address), sender=w.a["shipper"]), WrongRegistry, setup=offered),
    Bad("loan: withdraw wrong role", lambda w: w.loans.withdraw_offer(1, sender=w.a["buyer"]), revert("LoanNotFinancier"), setup=offered),
    Bad("loan: pledge wrong role", lambda w: w.loans.accept(1, w.registry, sender=w.a["buyer"]), errors.ContractRevert, "", setup=offered),
    # DocumentaryCollections
    Bad("collection: past deadline", lambda w: w.collections.lodge(w.registry, w.bill, dp(w, presentation_deadline=w.now - DAY), sender=w.a["shipper"]), revert("CollectionInvalidDeadline")),
    Bad("collection: zero amount", lambda w: w.collections.lodge(w.registry, w.bill, dp(w, amount=0), sender=w.a["shipper"]), revert("CollectionZeroAmount")),
    Bad("collection: zero drawee", lambda w: w.collections.lodge(w.registry, w.bill, dp(w, drawee=ZERO_ADDRESS), sender=w.a["shipper"]), errors.ContractRevert, "Collection"),
    Bad("collection: lodge wrong role", lambda w: w.collections.lodge(w.registry, w.bill, dp(w), sender=w.a["buyer"]), errors.ContractRevert, "Title"),
    Bad("collection: lodge unknown bill", lambda w: w.collections.lodge(w.registry, UNKNOWN_BILL, dp(w), sender=w.a["shipper"]), revert("TitleNotIssued")),
    Bad(
        "collection: D/A with tenor and maturity",
        lambda w: CollectionInstruction.documents_against_acceptance(drawer=ZERO_ADDRESS, drawee=ZERO_ADDRESS, token=ZERO_ADDRESS, amount=1, presentation_deadline=1, tenor=1, maturity=2),
        TradefinError,
        "exactly one of tenor and maturity",
    ),
    Bad("collection: pay unknown collection", lambda w: w.collections.pay(5, sender=w.a["buyer"]), revert("CollectionNotFound")),
    Bad("collection: transfer unknown draft", lambda w: w.collections.transfer_draft(5, w.a["financier"].address, sender=w.a["shipper"]), revert("CollectionNotFound")),
    Bad("collection: pay wrong role", lambda w: w.collections.pay(1, sender=w.a["financier"]), revert("CollectionNotDrawee"), setup=lodged),
    Bad("collection: honour before maturity", lambda w: w.collections.honour(1, sender=w.a["buyer"]), revert("CollectionNotMatured"), setup=accepted_draft),
    Bad("collection: dishonour before maturity", lambda w: w.collections.dishonour(1, sender=w.a["shipper"], protest="unpaid"), revert("CollectionDishonourTooEarly"), setup=accepted_draft),
    Bad("collection: dishonour at maturity (the drawee's grace)", lambda w: w.collections.dishonour(1, sender=w.a["shipper"]), revert("CollectionDishonourTooEarly"), setup=at_maturity),
    Bad("collection: pay through an untrusted registry", lambda w: w.collections.pay(1, sender=w.a["buyer"], trusted=TitleRegistry.at(w.ctx, w.loans.address)), UntrustedCollection, setup=lodged),
    # DepositToken
    Bad("money: mint wrong role", lambda w: w.token.mint(w.a["buyer"].address, 1, sender=w.a["buyer"]), revert("OwnableUnauthorizedAccount")),
    Bad("money: transfer beyond balance", lambda w: w.token.transfer(w.a["shipper"].address, 10**12, sender=w.a["buyer"]), revert("ERC20InsufficientBalance")),
    Bad("money: transfer to zero address", lambda w: w.token.transfer(ZERO_ADDRESS, 1, sender=w.a["buyer"]), revert("ERC20InvalidReceiver")),
    Bad("money: malformed amount", lambda w: w.token.units("12,5"), TradefinError, "not an amount"),
    Bad("money: too precise amount", lambda w: w.token.units("1.001"), TradefinError, "more than 2 decimals"),
    Bad("money: malformed currency", lambda w: currency_code("hk"), TradefinError, "ISO 4217"),
    Bad("money: deploy malformed currency", lambda w: DepositToken.deploy(w.ctx, w.a["issuing_bank"], currency="hkd$"), TradefinError, "ISO 4217"),
    Bad(
        "money: permit past its deadline",
        lambda w: w.token.permit(w.token.sign_permit(w.a["buyer"], w.a["shipper"].address, 1, deadline=w.now - DAY), sender=w.a["shipper"]),
        revert("ERC2612ExpiredSignature"),
    ),
    Bad("money: amount out of range", lambda w: w.token.transfer(w.a["shipper"].address, 2**256, sender=w.a["buyer"]), TradefinError),
    # ConsentRegistry, DocumentAnchors, DocumentStore
    Bad("consent: past expiry", lambda w: w.consents.grant(w.a["financier"].address, [b"\x22" * 32], purpose="TRADE_FINANCE", expires_at=w.now - DAY, sender=w.a["shipper"]), revert("ConsentExpiryNotInFuture")),
    Bad("consent: zero financier", lambda w: w.consents.grant(ZERO_ADDRESS, [b"\x22" * 32], purpose="TRADE_FINANCE", expires_at=w.now + DAY, sender=w.a["shipper"]), revert("ConsentZeroFinancier")),
    Bad("consent: self grant", lambda w: w.consents.grant(w.a["shipper"].address, [b"\x22" * 32], purpose="TRADE_FINANCE", expires_at=w.now + DAY, sender=w.a["shipper"]), revert("ConsentSelfGrant")),
    Bad("consent: no documents", lambda w: w.consents.grant(w.a["financier"].address, [], purpose="TRADE_FINANCE", expires_at=w.now + DAY, sender=w.a["shipper"]), revert("ConsentNoDocuments")),
    Bad("consent: purpose too long", lambda w: purpose_code("P" * 33), TradefinError, "1 to 32 ASCII"),
    Bad("consent: malformed document hash", lambda w: w.consents.is_allowed(w.a["shipper"].address, w.a["financier"].address, "0x12", "TRADE_FINANCE"), TradefinError, "not a document hash"),
    Bad("anchors: zero hash", lambda w: w.anchors.anchor(bytes(32), DocumentType.parse("invoice"), sender=w.a["shipper"]), revert("AnchorZeroHash")),
    Bad("anchors: unknown type", lambda w: DocumentType.parse("receipt"), TradefinError),
    Bad("anchors: revoke unknown anchor", lambda w: w.anchors.revoke(b"\x33" * 32, sender=w.a["shipper"]), revert("AnchorNotFound")),
    Bad(
        "anchors: revoke someone else's anchor",
        lambda w: w.anchors.revoke(b"\x44" * 32, sender=w.a["buyer"]),
        revert("AnchorNotFound"),
        setup=lambda w: w.anchors.anchor(b"\x44" * 32, DocumentType.parse("invoice"), sender=w.a["shipper"]),
    ),
    Bad("store: short key", lambda w: StoreKey.from_hex("ab" * 8), KeyUnavailable, "64 hex digits"),
    Bad("store: another store's key", foreign_store, KeyUnavailable, "fingerprint"),
    Bad("store: no consent", lambda w: w.store.serve(request_for(w)), ConsentDenied),
    Bad("store: request past its deadline", lambda w: w.store.serve(request_for(w, deadline=w.now - DAY)), RequestExpired),
    Bad("store: request for another chain", lambda w: w.store.serve(request_for(w, chain_id=1)), RequestWrongChain),
    Bad("store: request without documents", lambda w: request_for(w, documents=[]), TradefinError, "at least one document"),
    # TitleBridge
    Bad("bridge: pledge past expiry", lambda w: pledge(w, expiry=w.now - DAY), errors.ContractRevert, "Bridge"),
    Bad("bridge: pledge to this chain", lambda w: pledge(w, destination_chain_id=w.ctx.chain.chain_id), revert("BridgeInvalidDestination")),
    Bad("bridge: pledge to zero recipient", lambda w: pledge(w, recipient=ZERO_ADDRESS), errors.ContractRevert, "Bridge"),
    Bad("bridge: pledge wrong role", lambda w: pledge(w, sender=w.a["buyer"]), errors.ContractRevert, "Title"),
    Bad("bridge: attest unknown pledge", lambda w: w.bridge.attestation(b"\x55" * 32), TradefinError, "no pledge"),
    Bad("bridge: confirm unknown pledge", lambda w: w.bridge.confirm(b"\x55" * 32, [], sender=w.a["relayer"]), errors.ContractRevert, "Bridge"),
    # FlowRunner, Journal, Deployments
    Bad("flows: resume a run of another chain", lambda w: w.runner.resume(1), JournalError, "was on chain 1"),
    Bad("flows: resume an unknown run", lambda w: w.runner.resume(99), JournalError, "no run 99"),
    Bad("flows: journal that is not a journal", lambda w: Journal(w.files / "store.sqlite.notdb"), JournalError, setup=lambda w: (w.files / "store.sqlite.notdb").write_text("x" * 200)),
    Bad("deployments: book of another chain", foreign_book, DeploymentError, "records deployments of chain 5"),
    Bad("deployments: nothing of that name", lambda w: w.ctx.deployments.at("TitleRegistry:XYZ"), DeploymentError, "nothing named"),
    Bad("deployments: unknown contract", lambda w: w.ctx.deployments.deploy(w.a["deployer"], "NoSuchContract"), errors.ArtifactNotFound),
    Bad("accounts: unknown role", lambda w: w.a["pirate"], errors.AccountError, "unknown role 'pirate'"),
    Bad("flows: malformed parameter", lambda w: w.runner.start(FLOWS["ebl-delivery"]({"on_board": "yesterday"})), TradefinError),
]
# fmt: on


def _case(entry: Any) -> Any:
    if isinstance(entry, Bad):
        return pytest.param(entry, id=entry.id)
    return pytest.param(*entry.values, marks=entry.marks, id=entry.values[0].id)


CASES = [_case(entry) for entry in CATALOGUE]


@pytest.mark.parametrize("entry", CASES)
def test_bad_call(entry: Bad, sdk, chain_state):
    if entry.setup is not None:
        entry.setup(sdk)
    before = chain_state()
    with pytest.raises(entry.raises, match=entry.match or None) as caught:
        entry.call(sdk)
    assert chain_state() == before, "a transaction was sent"
    if issubclass(entry.raises, TradefinError):
        assert str(caught.value) and "\n" not in str(caught.value)


def test_catalogue_covers_every_client():
    clients = {"registry", "credit", "loan", "collection", "money", "consent", "anchors", "store", "bridge", "flows"}
    seen = {c.values[0].id.split(":")[0] for c in CASES}
    assert clients <= seen
