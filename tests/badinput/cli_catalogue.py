"""The bad inputs tried on every ``tradefin`` command: argv, a fragment the one-line error must contain, an id.

``{name}`` in an argument is filled from the world (see ``conftest.py``): ``{bill}`` the issued bill,
``{unknown_bill}`` a bill never issued, ``{no_code}`` an address with no contract, ``{zero}`` the zero address,
``{past}`` a date before the chain's now, ``{files}`` the folder of test files, ``{rpc}`` the session node's URL
(``{hk_rpc}`` the second ledger's, chain 31338).
Commands that touch a chain get ``--rpc-url`` of the session node appended unless the entry is ``offline`` or
brings its own ``--rpc-url``.
"""

from __future__ import annotations

# ruff: noqa: E501 (a table: one bad input per line reads best)
from dataclasses import dataclass


@dataclass(frozen=True)
class Bad:
    argv: tuple[str, ...]
    message: str
    """A fragment of the error line that names the problem."""
    id: str
    offline: bool = False
    """Fails before any chain is opened: no ``--rpc-url`` appended."""
    book: str = "world"
    """The deployment book the command finds: ``world`` (everything deployed), ``fresh`` (nothing recorded, so
    deploy commands really deploy before they reach the bad input) or ``foreign`` (a book of chain 1)."""
    ledgers: bool = False
    """A two-ledger command (``bridge``, ``dvp``): ``--rpc-url shanghai=... --rpc-url hong-kong=...`` appended."""


def bad(*argv: str, says: str, id: str, offline: bool = False, book: str = "world") -> Bad:
    return Bad(tuple(argv), says, id, offline, book)


def two(*argv: str, says: str, id: str, offline: bool = False) -> Bad:
    """A two-ledger command's entry."""
    return Bad(tuple(argv), says, id, offline, "world", ledgers=True)


SHANGHAI_ONLY = ("--rpc-url", "shanghai={rpc}")
BOTH_ON_ONE_CHAIN = ("--rpc-url", "shanghai={rpc}", "--rpc-url", "hong-kong={rpc}")
PLEDGE = "0x" + "55" * 32
XB_LEDGERS = ("--ledger-url", "shanghai={rpc}", "--ledger-url", "hong-kong={hk_rpc}")
"""Both ledgers, for ``resume --cross-border`` (whose ``--rpc-url`` is the single-chain option)."""


UNREACHABLE = "http://127.0.0.1:9"
WRONG_CHAIN = ("--chain-id", "1")
"""An explicit ``--chain-id`` that is not the node's (31337)."""
MISMATCH = "--chain-id 1 does not match"
STATE_FILE = "--state-file is for a local Anvil"

# fmt: off
CATALOGUE: dict[str, list[Bad]] = {
    # -- project ------------------------------------------------------------------------------------------------
    "compile": [
        bad("compile", "--forse", says="No such option: --forse", id="unknown-option", offline=True),
        bad("compile", "TitleRegistry", says="unexpected extra argument", id="extra-argument", offline=True),
    ],
    "deploy": [
        bad("deploy", "NoSuchContract", says="NoSuchContract", id="unknown-contract"),
        bad("deploy", "ITitleRegistry", says="interface or abstract", id="interface"),
        bad("deploy", "TitleRegistry", "eBL", says="takes 5 arguments, got 1", id="missing-arguments"),
        bad(
            "deploy", "TitleRegistry", "eBL", "EBL", "0x1234", "0", "false",
            says="argument 3 (admin: address) cannot be '0x1234'", id="malformed-address",
        ),
        bad("deploy", "RevertProbe", "--as", "pirate", says="unknown role 'pirate'", id="unknown-role"),
        bad("deploy", "RevertProbe", *WRONG_CHAIN, says=MISMATCH, id="wrong-chain"),
        bad("deploy", "RevertProbe", "--state-file", "{files}/chain.json", says=STATE_FILE, id="state-file-and-url"),
        bad("deploy", "RevertProbe", says="records deployments of chain 1", id="foreign-book", book="foreign"),
    ],
    "demo": [
        bad("demo", "--node", "geth", says="Invalid value for '--node'", id="unknown-node", offline=True),
        bad("demo", "--rpc-url", UNREACHABLE, says="failed after", id="unreachable-node"),
        bad("demo", *WRONG_CHAIN, says=MISMATCH, id="wrong-chain"),
        bad("demo", "--state-file", "{files}/chain.json", says=STATE_FILE, id="state-file-and-url"),
        bad("demo", "--resume", says="--resume needs the chain the demo ran on", id="resume-without-chain", offline=True),
        bad(
            "demo", "--cross-border", "--resume", says="--cross-border --resume needs the ledgers", id="resume-cross-border",
            offline=True,
        ),
    ],
    "resume": [
        bad("resume", "1", "--journal", "{files}/journal.sqlite", says="run 1 was on chain 1", id="wrong-chain"),
        bad("resume", "7", "--journal", "{files}/journal.sqlite", says="no run 7", id="unknown-run"),
        bad("resume", "seven", says="'seven' is not a valid integer", id="malformed-run", offline=True),
        bad("resume", "--journal", "{files}/broken.json", says="cannot open journal", id="not-a-journal"),
        bad("resume", "--journal", "{files}/cross-border.sqlite", says="is a cross-border run", id="cross-border-run"),
        bad("resume", "--ledger-url", "shanghai={rpc}", says="add --cross-border", id="ledger-url-alone", offline=True),
        bad("resume", "--cross-border", says="needs the ledgers the runs were on", id="cross-border-no-ledgers", offline=True),
        bad("resume", "--cross-border", "--rpc-url", "{rpc}", says="--ledger-url LEDGER=URL", id="cross-border-rpc-url"),
        bad("resume", "--cross-border", "--ledger-url", "tokyo={rpc}", says="unknown ledger 'tokyo'", id="cross-border-unknown-ledger", offline=True),
        bad("resume", "--cross-border", *XB_LEDGERS, "--journal", "{files}/missing.sqlite", says="no journal at", id="cross-border-no-journal", offline=True),
        bad("resume", "1", "--cross-border", *XB_LEDGERS, "--journal", "{files}/journal.sqlite", says="single-chain 'ebl-delivery' run", id="cross-border-single-chain-run", offline=True),
        bad("resume", "--cross-border", *XB_LEDGERS, "--journal", "{files}/cross-border.sqlite", says="hong-kong node given is chain 31338", id="cross-border-wrong-chain", offline=True),
        bad("resume", "--cross-border", "--ledger-url", "shanghai={rpc}", "--ledger-url", "hong-kong={rpc}", "--journal", "{files}/cross-border.sqlite", says="both chain 31337", id="cross-border-one-chain", offline=True),
    ],
    # -- bills of lading ----------------------------------------------------------------------------------------
    "bl deploy": [
        bad("bl", "deploy", "--as", "pirate", says="unknown role 'pirate'", id="unknown-role"),
        bad("bl", "deploy", *WRONG_CHAIN, says=MISMATCH, id="wrong-chain"),
    ],
    "bl issue": [
        bad(
            "bl", "issue", "{files}/malformed.json", "--to", "shipper",
            says="invalid transport document", id="malformed-document",
        ),
        bad("bl", "issue", "{files}/broken.json", "--to", "shipper", says="Invalid JSON", id="broken-json"),
        bad("bl", "issue", "{files}/missing.json", "--to", "shipper", says="does not exist", id="missing-file"),
        bad("bl", "issue", "{files}/bill.json", "--to", "shipper", says="TitleAlreadyIssued", id="issued-twice"),
        bad("bl", "issue", "{files}/unissued.json", "--to", "{zero}", says="TitleZeroAddress", id="zero-address"),
        bad("bl", "issue", "{files}/unissued.json", "--to", "0x1234", says="not an address", id="malformed-address"),
        bad("bl", "issue", "{files}/unissued.json", "--to", "pirate", says="unknown role 'pirate'", id="unknown-party"),
        bad(
            "bl", "issue", "{files}/unissued.json", "--to", "shipper", "--as", "shipper",
            says="AccessControlUnauthorizedAccount", id="wrong-role",
        ),
        bad(
            "bl", "issue", "{files}/unissued.json", "--to", "shipper", "--registry", "{no_code}",
            says="no contract at 0x00000000000000000000000000000000DeaDBeef", id="unknown-registry",
        ),
        bad(
            "bl", "issue", "{files}/unissued.json", "--to", "shipper", "--registry", "TitleRegistry:XYZ",
            says="nothing named 'TitleRegistry:XYZ'", id="registry-not-deployed",
        ),
        bad("bl", "issue", "{files}/unissued.json", "--to", "shipper", *WRONG_CHAIN, says=MISMATCH, id="wrong-chain"),
    ],
    "bl transfer": [
        bad("bl", "transfer", "{unknown_bill}", "buyer", says="no bill 0xabab", id="unknown-bill"),
        bad("bl", "transfer", "xyz", "buyer", says="'xyz' is not a bill id", id="malformed-bill"),
        bad("bl", "transfer", "0", "buyer", says="out of range for a bill id", id="zero-bill"),
        bad("bl", "transfer", "{bill}", "buyer", "--as", "buyer", says="TitleNotHolder", id="wrong-role"),
        bad("bl", "transfer", "{bill}", "{zero}", "--as", "shipper", says="TitleZeroAddress", id="zero-address"),
        bad("bl", "transfer", "{bill}", "0x12", says="not an address: 0x12", id="malformed-address"),
        bad("bl", "transfer", "{bill}", "buyer", "--registry", "{no_code}", says="no contract at", id="unknown-registry"),
        bad("bl", "transfer", "{bill}", "buyer", *WRONG_CHAIN, says=MISMATCH, id="wrong-chain"),
    ],
    "bl nominate": [
        bad("bl", "nominate", "{unknown_bill}", "buyer", says="no bill 0xabab", id="unknown-bill"),
        bad("bl", "nominate", "{bill}", "buyer", "--as", "buyer", says="TitleNotBeneficiary", id="wrong-role"),
        bad("bl", "nominate", "{bill}", "pirate", says="unknown role 'pirate'", id="unknown-party"),
    ],
    "bl endorse": [
        bad("bl", "endorse", "{unknown_bill}", "buyer", says="no bill 0xabab", id="unknown-bill"),
        bad("bl", "endorse", "{bill}", "buyer", "--as", "carrier", says="TitleNotHolder", id="wrong-role"),
        bad("bl", "endorse", "{bill}", "{zero}", says="TitleZeroAddress", id="zero-address"),
    ],
    "bl surrender": [
        bad("bl", "surrender", "{unknown_bill}", says="no bill 0xabab", id="unknown-bill"),
        bad("bl", "surrender", "{bill}", "--as", "buyer", says="TitleNotBeneficiary", id="wrong-role"),
        bad("bl", "surrender", "{bill}", says="records deployments of chain 1", id="foreign-book", book="foreign"),
        bad("bl", "surrender", "2**256", says="not a bill id", id="malformed-bill"),
    ],
    "bl accept": [
        bad("bl", "accept", "{bill}", says="TitleNotSurrendered", id="not-surrendered"),
        bad("bl", "accept", "{unknown_bill}", says="no bill 0xabab", id="unknown-bill"),
        bad("bl", "accept", "{bill}", "--as", "shipper", says="AccessControlUnauthorizedAccount", id="wrong-role"),
    ],
    "bl reject": [
        bad("bl", "reject", "{bill}", says="TitleNotSurrendered", id="not-surrendered"),
        bad("bl", "reject", "{unknown_bill}", says="no bill 0xabab", id="unknown-bill"),
    ],
    "bl history": [
        bad("bl", "history", "{unknown_bill}", says="no bill 0xabab", id="unknown-bill"),
        bad("bl", "history", "-1", says="No such option: -1", id="negative-bill", offline=True),
        bad("bl", "history", "{bill}", "--registry", "{no_code}", says="no contract at", id="unknown-registry"),
    ],
    "bl verify": [
        bad("bl", "verify", "{files}/unissued.json", says="not a live title", id="never-issued"),
        bad("bl", "verify", "{files}/malformed.json", says="invalid transport document", id="malformed-document"),
        bad("bl", "verify", "{files}/bill.json", "--registry", "{no_code}", says="no contract at", id="unknown-registry"),
    ],
    "bl sample": [
        bad("bl", "sample", "--form", "bearer", says="Invalid value for '--form'", id="unknown-form", offline=True),
    ],
    # -- flows --------------------------------------------------------------------------------------------------
    "flow list": [
        bad("flow", "list", "lc-clean", says="unexpected extra argument", id="extra-argument", offline=True),
    ],
    "flow run": [
        bad("flow", "run", "lc-dirty", "--journal", "{files}/j.sqlite", says="unknown flow 'lc-dirty'", id="unknown-flow"),
        bad(
            "flow", "run", "ebl-delivery", "--param", "reference", "--journal", "{files}/j.sqlite",
            says="'reference' is not KEY=VALUE", id="malformed-param",
        ),
        bad(
            "flow", "run", "ebl-delivery", "--param", "on_board=yesterday", "--journal", "{files}/j.sqlite",
            says="on_board=yesterday: Invalid isoformat string", id="malformed-date",
        ),
        bad(
            "flow", "run", "ebl-delivery", "--param", "registry={no_code}", "--journal", "{files}/j.sqlite",
            says="no contract at", id="unknown-registry",
        ),
        bad(
            "flow", "run", "ebl-delivery", "--param", "registry=0x1234", "--journal", "{files}/j.sqlite",
            says="registry=0x1234: not an address", id="malformed-address",
        ),
        bad("flow", "run", "ebl-delivery", "--journal", "{files}", says="is a directory", id="journal-is-a-folder"),
        bad(
            "flow", "run", "ebl-delivery", "--journal", "{files}/j.sqlite", *WRONG_CHAIN,
            says=MISMATCH, id="wrong-chain",
        ),
    ],
    # -- money --------------------------------------------------------------------------------------------------
    "money deploy": [
        bad("money", "deploy", "--currency", "hk", says="not an ISO 4217 currency code", id="malformed-currency"),
        bad("money", "deploy", "--currency", "HKD", "--decimals", "19", says="0<=x<=18", id="decimals-out-of-range"),
        bad("money", "deploy", "--currency", "HKD", "--as", "pirate", says="unknown role 'pirate'", id="unknown-role"),
    ],
    "money mint": [
        bad("money", "mint", "buyer", "12,5", says="not an amount: '12,5'", id="malformed-amount"),
        bad("money", "mint", "buyer", "1.005", says="more than 2 decimals", id="too-precise"),
        bad("money", "mint", "buyer", "9" * 80, says="too large for a token amount", id="amount-out-of-range"),
        bad("money", "mint", "{zero}", "1.00", says="ERC20InvalidReceiver", id="zero-address"),
        bad("money", "mint", "buyer", "1.00", "--as", "buyer", says="OwnableUnauthorizedAccount", id="wrong-role"),
        bad("money", "mint", "buyer", "1.00", "--token", "EUR", says="no deposit token named 'EUR'", id="unknown-token"),
        bad("money", "mint", "buyer", "1.00", "--token", "{no_code}", says="no contract at", id="token-not-deployed"),
    ],
    "money balance": [
        bad("money", "balance", "pirate", says="unknown party 'pirate'", id="unknown-party"),
        bad("money", "balance", "0xZZ", says="not an address", id="malformed-address"),
        bad("money", "balance", "buyer", "--token", "{no_code}", says="no contract at", id="token-not-deployed"),
        bad("money", "balance", "buyer", *WRONG_CHAIN, says=MISMATCH, id="wrong-chain"),
    ],
    "money approve": [
        bad("money", "approve", "pirate", "1.00", says="unknown party 'pirate'", id="unknown-party"),
        bad("money", "approve", "{zero}", "1.00", says="ERC20InvalidSpender", id="zero-address"),
        bad("money", "approve", "DocumentaryCredit", "lots", says="not an amount", id="malformed-amount"),
    ],
    "money transfer": [
        bad("money", "transfer", "shipper", "1000000.01", says="ERC20InsufficientBalance", id="amount-out-of-range"),
        bad("money", "transfer", "{zero}", "1.00", says="ERC20InvalidReceiver", id="zero-address"),
        bad("money", "transfer", "shipper", "1.00", "--as", "pirate", says="unknown role 'pirate'", id="unknown-role"),
    ],
    # -- letters of credit --------------------------------------------------------------------------------------
    "lc deploy": [
        bad(
            "lc", "deploy", "--registry", "TitleRegistry:XYZ", says="nothing named 'TitleRegistry:XYZ'",
            id="fresh-registry-not-deployed", book="fresh",
        ),
        bad(
            "lc", "deploy", "--registry", "{registry}", "--registry-admin", "pirate", says="unknown role 'pirate'",
            id="fresh-unknown-admin", book="fresh",
        ),
        bad("lc", "deploy", "--registry", "TitleRegistry:XYZ", says="nothing named 'TitleRegistry:XYZ'", id="registry-not-deployed"),
        bad("lc", "deploy", "--registry-admin", "pirate", says="unknown role 'pirate'", id="unknown-admin"),
        bad("lc", "deploy", "--calendar", "{no_code}", says="no contract at", id="unknown-calendar"),
        bad("lc", "deploy", "--financing-ledger", "{no_code}", says="no contract at", id="ledger-no-code"),
        bad("lc", "deploy", "--financing-ledger", "NoSuchLedger", says="nothing named 'NoSuchLedger'", id="ledger-not-deployed"),
        bad(
            "lc", "deploy", "--financing-ledger", "DocumentaryCredit", says="not a FinancingLedger",
            id="ledger-of-another-kind",
        ),
        bad("lc", "deploy", "--ledger-admin", "pirate", says="unknown role 'pirate'", id="unknown-ledger-admin"),
        bad("lc", "deploy", "--as", "pirate", says="unknown role 'pirate'", id="unknown-role"),
    ],
    "lc calendar": [
        bad("lc", "calendar", "--city", "atlantis", says="atlantis", id="unknown-city"),
        bad("lc", "calendar", "--year", "twenty", says="'twenty' is not a valid integer", id="malformed-year", offline=True),
        bad("lc", "calendar", "--contract", "{no_code}", says="no contract at", id="unknown-contract"),
    ],
    "lc request": [
        bad("lc", "request", "--amount", "1.00", "--expiry", "{past}", says="CreditExpiryInPast", id="past-expiry"),
        bad("lc", "request", "--amount", "0", "--expiry", "{later}", says="CreditInvalidAmount", id="zero-amount"),
        bad("lc", "request", "--amount", "1e6", "--expiry", "{later}", says="not an amount", id="malformed-amount"),
        bad(
            "lc", "request", "--amount", "1.00", "--expiry", "{later}", "--beneficiary", "pirate",
            says="unknown party 'pirate'", id="unknown-party",
        ),
        bad(
            "lc", "request", "--amount", "1.00", "--expiry", "{later}", "--issuing-bank", "{zero}",
            says="CreditZeroAddress", id="zero-address",
        ),
        bad(
            "lc", "request", "--amount", "1.00", "--expiry", "{soon}", "--latest-shipment", "{later}",
            says="CreditShipmentAfterExpiry", id="shipment-after-expiry",
        ),
        bad(
            "lc", "request", "--amount", "1.00", "--expiry", "{later}", "--presentation-days", "70000",
            says="--presentation-days", id="days-out-of-range", offline=True,
        ),
        bad(
            "lc", "request", "--amount", "1.00", "--expiry", "{later}", "--document", "FACTURE_É",
            says="ASCII", id="non-ascii-document",
        ),
        bad("lc", "request", "--amount", "1.00", "--expiry", "someday", says="not a date", id="malformed-date"),
        bad("lc", "request", "--amount", "1.00", "--expiry", "{later}", *WRONG_CHAIN, says=MISMATCH, id="wrong-chain"),
    ],
    "lc cancel": [
        bad("lc", "cancel", "1", "--as", "shipper", says="CreditNotApplicant", id="wrong-role"),
        bad("lc", "cancel", "9", says="no credit 9", id="unknown-credit"),
        bad("lc", "cancel", "one", says="not an id: 'one'", id="malformed-id"),
    ],
    "lc issue": [
        bad("lc", "issue", "1", "--as", "advising_bank", says="CreditNotIssuingBank", id="wrong-role"),
        bad("lc", "issue", "2", says="no credit 2 on DocumentaryCredit", id="unknown-credit"),
        bad("lc", "issue", "1", says="ERC20InsufficientAllowance", id="no-allowance"),
        bad("lc", "issue", "1", "--contract", "{no_code}", says="no contract at", id="unknown-contract"),
    ],
    "lc advise": [
        bad("lc", "advise", "1", says="CreditNotIssued", id="not-issued"),
        bad("lc", "advise", "0", says="not an id: '0'", id="zero-id"),
    ],
    "lc confirm": [
        bad("lc", "confirm", "1", says="CreditNotIssued", id="not-issued"),
        bad("lc", "confirm", "5", says="no credit 5", id="unknown-credit"),
    ],
    "lc confirm-amendment": [
        bad("lc", "confirm-amendment", "1", says="CreditNotIssued", id="not-issued"),
        bad("lc", "confirm-amendment", "5", says="no credit 5", id="unknown-credit"),
    ],
    "lc decline-amendment": [
        bad("lc", "decline-amendment", "1", says="CreditNotIssued", id="not-issued"),
        bad("lc", "decline-amendment", "5", says="no credit 5", id="unknown-credit"),
    ],
    "lc accept-amendment": [
        bad("lc", "accept-amendment", "1", says="CreditNotIssued", id="not-issued"),
        bad("lc", "accept-amendment", "5", says="no credit 5", id="unknown-credit"),
    ],
    "lc reject-amendment": [
        bad("lc", "reject-amendment", "1", says="CreditNotIssued", id="not-issued"),
        bad("lc", "reject-amendment", "5", says="no credit 5", id="unknown-credit"),
    ],
    "lc honour": [
        bad("lc", "honour", "1", "1", says="CreditPresentationNotFound", id="no-presentation"),
        bad("lc", "honour", "3", "1", says="no credit 3", id="unknown-credit"),
        bad("lc", "honour", "1", "first", says="not an id: 'first'", id="malformed-presentation"),
    ],
    "lc waive": [
        bad("lc", "waive", "1", "1", says="CreditPresentationNotFound", id="no-presentation"),
        bad("lc", "waive", "3", "1", says="no credit 3", id="unknown-credit"),
    ],
    "lc return": [
        bad("lc", "return", "1", "1", says="CreditPresentationNotFound", id="no-presentation"),
        bad("lc", "return", "3", "1", says="no credit 3", id="unknown-credit"),
    ],
    "lc claim-precluded": [
        bad("lc", "claim-precluded", "1", "1", says="CreditPresentationNotFound", id="no-presentation"),
        bad("lc", "claim-precluded", "3", "1", says="no credit 3", id="unknown-credit"),
    ],
    "lc reimburse": [
        bad("lc", "reimburse", "1", "1", says="CreditPresentationNotFound", id="no-presentation"),
        bad("lc", "reimburse", "3", "1", says="no credit 3", id="unknown-credit"),
    ],
    "lc instruct-amendment": [
        bad("lc", "instruct-amendment", "1", says="changes at least one of", id="no-change", offline=True),
        bad("lc", "instruct-amendment", "1", "--amount", "1.00", says="CreditNotIssued", id="not-issued"),
        bad("lc", "instruct-amendment", "4", "--amount", "1.00", says="no credit 4", id="unknown-credit"),
        bad("lc", "instruct-amendment", "1", "--expiry", "someday", says="not a date", id="malformed-date"),
        bad("lc", "instruct-amendment", "1", "--amount", "lots", says="not an amount: 'lots'", id="malformed-amount"),
    ],
    "lc withdraw-amendment-instruction": [
        bad("lc", "withdraw-amendment-instruction", "1", says="CreditAmendmentNotInstructed(creditId=1)", id="not-instructed"),
        bad("lc", "withdraw-amendment-instruction", "1", "--as", "shipper", says="CreditNotApplicant", id="wrong-role"),
        bad("lc", "withdraw-amendment-instruction", "5", says="no credit 5", id="unknown-credit"),
    ],
    "lc amend": [
        bad("lc", "amend", "1", says="changes at least one of", id="no-change", offline=True),
        bad("lc", "amend", "1", "--expiry", "{past}", says="CreditNotIssued", id="not-issued"),
        bad("lc", "amend", "4", "--amount", "1.00", says="no credit 4", id="unknown-credit"),
        bad("lc", "amend", "1", "--amount", "1.001", says="more than 2 decimals", id="too-precise"),
    ],
    "lc present": [
        bad("lc", "present", "1", "nonsense", "1.00", says="not a bill id", id="malformed-bill"),
        bad("lc", "present", "1", "{unknown_bill}", "1.00", says="no bill 0xabab", id="unknown-bill"),
        bad("lc", "present", "1", "{bill}", "1.00", says="CreditNotIssued", id="not-issued"),
        bad("lc", "present", "8", "{bill}", "1.00", says="no credit 8", id="unknown-credit"),
        bad(
            "lc", "present", "1", "{bill}", "1.00", "--document", "INVOICE",
            says="--document takes TYPE=HASH or TYPE=FILE", id="malformed-document",
        ),
        bad(
            "lc", "present", "1", "{bill}", "1.00", "--document", "INVOICE={files}/nothing.pdf",
            says="neither a 0x-prefixed 32-byte hash nor a file", id="missing-document",
        ),
    ],
    "lc refuse": [
        bad("lc", "refuse", "1", "1", "typo", says="unknown discrepancy 'typo'", id="unknown-discrepancy"),
        bad("lc", "refuse", "1", "1", "70000", says="out of range (1 to 65535)", id="code-out-of-range"),
        bad("lc", "refuse", "1", "1", "late-shipment", says="CreditPresentationNotFound", id="no-presentation"),
        bad("lc", "refuse", "6", "1", "late-shipment", says="no credit 6", id="unknown-credit"),
    ],
    "lc close-expired": [
        bad("lc", "close-expired", "1", says="CreditNotIssued", id="not-issued"),
        bad("lc", "close-expired", "6", says="no credit 6", id="unknown-credit"),
    ],
    "lc show": [
        bad("lc", "show", "7", says="no credit 7 on DocumentaryCredit", id="unknown-credit"),
        bad("lc", "show", "1", "--contract", "{no_code}", says="no contract at", id="unknown-contract"),
        bad("lc", "show", "1", "--contract", "Nope", says="nothing named 'Nope'", id="contract-not-deployed"),
        bad("lc", "show", "1", *WRONG_CHAIN, says=MISMATCH, id="wrong-chain"),
    ],
    # -- documentary collections --------------------------------------------------------------------------------
    "collection deploy": [
        bad(
            "collection", "deploy", "--registry", "{no_code}", says="no contract at",
            id="fresh-unknown-registry", book="fresh",
        ),
        bad(
            "collection", "deploy", "--registry", "{registry}", "--registry-admin", "pirate",
            says="unknown role 'pirate'", id="fresh-unknown-admin", book="fresh",
        ),
        bad(
            "collection", "deploy", "--registry", "TitleRegistry:XYZ",
            says="nothing named 'TitleRegistry:XYZ'", id="registry-not-deployed",
        ),
        bad("collection", "deploy", "--registry-admin", "pirate", says="unknown role 'pirate'", id="unknown-admin"),
        bad("collection", "deploy", "--as", "pirate", says="unknown role 'pirate'", id="unknown-role"),
    ],
    "collection lodge": [
        bad("collection", "lodge", "{unknown_bill}", "--amount", "1.00", says="no bill 0xabab", id="unknown-bill"),
        bad(
            "collection", "lodge", "{bill}", "--amount", "1.00", "--deadline", "{past}",
            says="CollectionInvalidDeadline", id="past-deadline",
        ),
        bad("collection", "lodge", "{bill}", "--amount", "0", says="CollectionZeroAmount", id="zero-amount"),
        bad(
            "collection", "lodge", "{bill}", "--amount", "1.00", "--terms", "da",
            says="exactly one of --tenor-days and --maturity", id="da-without-tenor", offline=True,
        ),
        bad(
            "collection", "lodge", "{bill}", "--amount", "1.00", "--drawee", "{zero}",
            says="CollectionZeroAddress", id="zero-drawee",
        ),
        bad("collection", "lodge", "{bill}", "--amount", "1.00", "--as", "buyer", says="TitleNotBeneficiary", id="wrong-role"),
        bad("collection", "lodge", "{bill}", "--amount", "1.00", "--token", "JPY", says="no deposit token", id="unknown-token"),
    ],
    "collection pay": [
        bad("collection", "pay", "1", says="no collection 1", id="unknown-collection"),
        bad("collection", "pay", "x", says="not an id: 'x'", id="malformed-id"),
        bad("collection", "pay", "1", "--contract", "{no_code}", says="no contract at", id="unknown-contract"),
    ],
    "collection accept": [
        bad("collection", "accept", "1", says="no collection 1", id="unknown-collection"),
    ],
    "collection refuse": [
        bad("collection", "refuse", "1", says="no collection 1", id="unknown-collection"),
    ],
    "collection honour": [
        bad("collection", "honour", "1", says="no collection 1", id="unknown-collection"),
    ],
    "collection dishonour": [
        bad("collection", "dishonour", "1", says="no collection 1", id="unknown-collection"),
    ],
    "collection return": [
        bad("collection", "return", "1", says="no collection 1", id="unknown-collection"),
    ],
    "collection transfer-draft": [
        bad("collection", "transfer-draft", "1", "financier", says="no collection 1", id="unknown-collection"),
        bad("collection", "transfer-draft", "1", "0xdead", says="not an address", id="malformed-address"),
    ],
    "collection show": [
        bad("collection", "show", "1", says="no collection 1", id="unknown-collection"),
        bad("collection", "show", "1", "--contract", "Nope", says="nothing named 'Nope'", id="contract-not-deployed"),
    ],
    # -- loans --------------------------------------------------------------------------------------------------
    "loan deploy": [
        bad(
            "loan", "deploy", "--registry", "{registry}", "--ledger-admin", "pirate", says="unknown role 'pirate'",
            id="fresh-unknown-ledger-admin", book="fresh",
        ),
        bad(
            "loan", "deploy", "--registry", "TitleRegistry:XYZ", says="nothing named 'TitleRegistry:XYZ'",
            id="fresh-registry-not-deployed", book="fresh",
        ),
        bad("loan", "deploy", "--registry", "TitleRegistry:XYZ", says="nothing named 'TitleRegistry:XYZ'", id="registry-not-deployed"),
        bad("loan", "deploy", "--registry-admin", "pirate", says="unknown role 'pirate'", id="unknown-admin"),
        bad("loan", "deploy", "--ledger-admin", "pirate", says="unknown role 'pirate'", id="unknown-ledger-admin"),
        bad("loan", "deploy", "--ledger", "{no_code}", says="no contract at", id="unknown-ledger"),
        bad("loan", "deploy", "--ledger", "NoSuchLedger", says="nothing named 'NoSuchLedger'", id="ledger-not-deployed"),
    ],
    "loan offer": [
        bad(
            "loan", "offer", "{bill}", "--principal", "1.00", "--maturity", "{past}", "--offer-expiry", "{past}",
            "--invoice", "{files}/invoice.txt", says="LoanInvalidSchedule", id="past-maturity",
        ),
        bad(
            "loan", "offer", "{bill}", "--principal", "0", "--maturity", "{later}", "--offer-expiry", "{soon}",
            "--invoice", "{files}/invoice.txt", says="LoanZeroPrincipal", id="zero-principal",
        ),
        bad(
            "loan", "offer", "{bill}", "--principal", "1.00", "--maturity", "{later}", "--offer-expiry", "{soon}",
            "--invoice", "{files}/nothing.pdf", says="neither a 0x-prefixed 32-byte hash nor a file", id="missing-invoice",
        ),
        bad(
            "loan", "offer", "{bill}", "--principal", "1.00", "--maturity", "{later}", "--offer-expiry", "{soon}",
            "--invoice", "{files}/invoice.txt", "--borrower", "{zero}", says="LoanZeroAddress", id="zero-borrower",
        ),
        bad(
            "loan", "offer", "{bill}", "--principal", "1.00", "--maturity", "{later}", "--offer-expiry", "{soon}",
            "--invoice", "{files}/invoice.txt", "--as", "shipper", says="LoanSelfFinancing", id="wrong-role",
        ),
        bad(
            "loan", "offer", "{bill}", "--principal", "1.00", "--maturity", "{later}", "--offer-expiry", "{soon}",
            "--invoice", "{files}/invoice.txt", "--contract", "{no_code}", says="no contract at", id="unknown-contract",
        ),
        bad(
            "loan", "offer", "{unknown_bill}", "--principal", "1.00", "--maturity", "{later}", "--offer-expiry", "{soon}",
            "--invoice", "{files}/invoice.txt", says="no bill 0xabab", id="unknown-bill",
        ),
    ],
    "loan accept": [
        bad("loan", "accept", "1", says="no loan 1", id="unknown-loan"),
        bad("loan", "accept", "-", says="not an id", id="malformed-id"),
    ],
    "loan pledge": [
        bad("loan", "pledge", "1", says="no loan 1", id="unknown-loan"),
    ],
    "loan repay": [
        bad("loan", "repay", "1", says="no loan 1", id="unknown-loan"),
    ],
    "loan foreclose": [
        bad("loan", "foreclose", "1", says="no loan 1", id="unknown-loan"),
    ],
    "loan withdraw": [
        bad("loan", "withdraw", "1", says="no loan 1", id="unknown-loan"),
    ],
    "loan show": [
        bad("loan", "show", "1", says="no loan 1", id="unknown-loan"),
        bad("loan", "show", "1", "--contract", "{no_code}", says="no contract at", id="unknown-contract"),
    ],
    # -- trade data ---------------------------------------------------------------------------------------------
    "data keygen": [
        bad("data", "keygen", "{files}/store.key", says="exists; not overwriting", id="key-exists", offline=True),
        bad("data", "keygen", "{files}", says="is a directory", id="path-is-a-folder", offline=True),
    ],
    "data deploy": [
        bad("data", "deploy", "--as", "pirate", says="unknown role 'pirate'", id="unknown-role"),
        bad("data", "deploy", *WRONG_CHAIN, says=MISMATCH, id="wrong-chain"),
    ],
    "data anchor": [
        bad(
            "data", "anchor", "{files}/invoice.txt", "--type", "receipt",
            says="Invalid value for '--type'", id="unknown-type", offline=True,
        ),
        bad(
            "data", "anchor", "{files}/invoice.txt", "--type", "invoice", "--store", "{files}/s.sqlite",
            says="no document store key", id="no-store-key",
        ),
        bad(
            "data", "anchor", "{files}/invoice.txt", "--type", "invoice", "--store", "{files}/s.sqlite",
            "--key-file", "{files}/short.key", says="64 hex digits", id="short-store-key",
        ),
        bad(
            "data", "anchor", "{files}/invoice.txt", "--type", "invoice", "--no-store", "--as", "pirate",
            says="unknown role 'pirate'", id="unknown-role",
        ),
        bad(
            "data", "anchor", "{files}/invoice.txt", "--type", "invoice", "--no-store", "--anchors", "{no_code}",
            says="no contract at", id="unknown-anchors",
        ),
    ],
    "data grant": [
        bad(
            "data", "grant", "financier", "{files}/invoice.txt", "--purpose", "TRADE_FINANCE", "--until", "{past}",
            says="ConsentExpiryNotInFuture", id="past-deadline",
        ),
        bad(
            "data", "grant", "{zero}", "{files}/invoice.txt", "--purpose", "TRADE_FINANCE", "--until", "{later}",
            says="ConsentZeroFinancier", id="zero-address",
        ),
        bad(
            "data", "grant", "shipper", "{files}/invoice.txt", "--purpose", "TRADE_FINANCE", "--until", "{later}",
            says="ConsentSelfGrant", id="self-grant",
        ),
        bad(
            "data", "grant", "financier", "{files}/invoice.txt", "--purpose", "X" * 33, "--until", "{later}",
            says="--purpose", id="purpose-too-long",
        ),
        bad(
            "data", "grant", "financier", "0x1234", "--purpose", "TRADE_FINANCE", "--until", "{later}",
            says="neither a 0x-prefixed 32-byte hash nor a file", id="malformed-document",
        ),
    ],
    "data revoke": [
        bad("data", "revoke", "financier", "--purpose", "TRADE_FINANCE", says="ConsentNotLive", id="nothing-to-revoke"),
        bad("data", "revoke", "pirate", "--purpose", "TRADE_FINANCE", says="unknown party 'pirate'", id="unknown-party"),
        bad("data", "revoke", "financier", "--purpose", "", says="--purpose", id="empty-purpose"),
    ],
    "data request": [
        bad(
            "data", "request", "shipper", "0x1234", "--purpose", "TRADE_FINANCE", "--store", "{files}/s.sqlite",
            "--key-file", "{files}/store.key", says="neither a 0x-prefixed 32-byte hash nor a file", id="malformed-document",
        ),
        bad(
            "data", "request", "shipper", "{unknown_bill}", "--purpose", "TRADE_FINANCE", "--store", "{files}/s.sqlite",
            "--key-file", "{files}/store.key", says="no consent for this financier and purpose", id="no-consent",
        ),
        bad(
            "data", "request", "shipper", "{unknown_bill}", "--purpose", "TRADE_FINANCE", "--store", "{files}/s.sqlite",
            says="no document store key", id="no-store-key",
        ),
        bad(
            "data", "request", "shipper", "{unknown_bill}", "--purpose", "TRADE_FINANCE", "--valid-for", "0",
            says="--valid-for", id="validity-out-of-range", offline=True,
        ),
    ],
    "data audit": [
        bad("data", "audit", "--store", "{files}/none.sqlite", says="no document store at", id="no-store", offline=True),
        bad(
            "data", "audit", "--store", "{files}/journal.sqlite", "--financier", "bank",
            says="not an address: bank", id="malformed-address", offline=True,
        ),
    ],
    "data check-financing": [
        bad("data", "check-financing", "bill-7", says="not a bill id", id="malformed-bill"),
        bad("data", "check-financing", "{bill}", "--ledger", "Nope", says="Nope", id="unknown-ledger"),
        bad("data", "check-financing", "{bill}", "--ledger", "{no_code}", says="no contract at", id="ledger-not-deployed"),
        bad(
            "data", "check-financing", "{bill}", "--invoice", "{files}/nothing.pdf",
            says="neither a 0x-prefixed 32-byte hash nor a file", id="missing-invoice",
        ),
    ],
    # -- two ledgers: the bridge -------------------------------------------------------------------------------
    "bridge deploy": [
        two("bridge", "deploy", "--threshold", "5", says="a threshold of 5 needs at least 5 members", id="threshold"),
        two("bridge", "deploy", "--member", "0x12", says="not an address: 0x12", id="malformed-member"),
        bad("bridge", "deploy", *SHANGHAI_ONLY, says="missing hong-kong", id="one-ledger-missing"),
        bad("bridge", "deploy", *BOTH_ON_ONE_CHAIN, says="are both chain 31337", id="wrong-chain"),
        bad("bridge", "deploy", "--rpc-url", "{rpc}", says="--rpc-url takes LEDGER=URL", id="url-without-ledger"),
        two("bridge", "deploy", "--state-dir", "{files}", says="--state-dir is for local chains", id="state-dir-and-url"),
    ],
    "bridge pledge": [
        two("bridge", "pledge", "{unknown_bill}", "--from", "shanghai", "--to", "hong-kong", says="TitleNotIssued", id="unknown-bill"),
        two("bridge", "pledge", "{bill}", "--from", "shanghai", "--to", "shanghai", says="are both shanghai", id="same-ledger"),
        two("bridge", "pledge", "{bill}", "--from", "shanghai", "--to", "mars", says="unknown ledger 'mars'", id="unknown-ledger"),
        two(
            "bridge", "pledge", "{bill}", "--from", "shanghai", "--to", "hong-kong", "--as", "buyer",
            says="TitleNotBeneficiary", id="wrong-role",
        ),
        two(
            "bridge", "pledge", "{bill}", "--from", "shanghai", "--to", "hong-kong", "--recipient", "{zero}",
            says="BridgeZeroAddress", id="zero-recipient",
        ),
        two(
            "bridge", "pledge", "{bill}", "--from", "shanghai", "--to", "hong-kong", "--hours", "0",
            says="--hours", id="hours-out-of-range", offline=True,
        ),
        two("bridge", "pledge", "b1ll", "--from", "shanghai", "--to", "hong-kong", says="not a bill id", id="malformed-bill"),
    ],
    "bridge status": [
        two("bridge", "status", "xyz", says="'xyz' is not a pledge id", id="malformed-pledge", offline=True),
        two("bridge", "status", PLEDGE, says="no pledge 0x5555", id="unknown-pledge"),
    ],
    "bridge claim": [
        two("bridge", "claim", PLEDGE, says="no pledge 0x5555", id="unknown-pledge"),
        two(
            "bridge", "claim", PLEDGE, "--member-keystore", "{files}/none.json",
            says="does not exist", id="missing-keystore", offline=True,
        ),
    ],
    "bridge confirm": [
        two("bridge", "confirm", PLEDGE, says="no pledge 0x5555", id="unknown-pledge"),
        two("bridge", "confirm", "0x55", says="not a pledge id", id="malformed-pledge", offline=True),
    ],
    "bridge reclaim": [
        two("bridge", "reclaim", PLEDGE, says="no pledge 0x5555", id="unknown-pledge"),
        bad("bridge", "reclaim", PLEDGE, *BOTH_ON_ONE_CHAIN, says="are both chain 31337", id="wrong-chain"),
    ],
    "bridge relay": [
        two("bridge", "relay", "--max-passes", "0", says="--max-passes", id="passes-out-of-range", offline=True),
        two("bridge", "relay", "--journal", "{files}/broken.json", says="journal", id="not-a-journal"),
        two("bridge", "relay", "--as", "pirate", says="unknown role 'pirate'", id="unknown-role"),
    ],
    # -- two ledgers: delivery versus payment --------------------------------------------------------------------
    "dvp deploy": [
        two("dvp", "deploy", "--as", "pirate", says="unknown role 'pirate'", id="unknown-role"),
        bad("dvp", "deploy", *BOTH_ON_ONE_CHAIN, says="are both chain 31337", id="wrong-chain"),
    ],
    "dvp lock-title": [
        two(
            "dvp", "lock-title", "{bill}", "--amount", "1.00", "--title-hours", "1", "--money-hours", "2",
            "--terms", "{files}/new-terms.json", says="must be longer than --money-hours", id="timelocks-reversed",
        ),
        two(
            "dvp", "lock-title", "{unknown_bill}", "--amount", "1.00", "--terms", "{files}/new-terms.json",
            "--secret-file", "{files}/new-secret.hex", says="TitleNotIssued", id="unknown-bill",
        ),
        two(
            "dvp", "lock-title", "{bill}", "--amount", "1.00", "--title-ledger", "hong-kong",
            "--terms", "{files}/new-terms.json", "--secret-file", "{files}/new-secret.hex",
            says="both on hong-kong", id="same-ledger",
        ),
        two("dvp", "lock-title", "{bill}", "--amount", "1.00", "--terms", "{files}/terms.json", says="exists already", id="terms-exist"),
        two(
            "dvp", "lock-title", "{bill}", "--amount", "1.00", "--buyer", "pirate", "--terms", "{files}/new-terms.json",
            "--secret-file", "{files}/new-secret.hex", says="unknown party 'pirate'", id="unknown-party",
        ),
        two(
            "dvp", "lock-title", "{bill}", "--amount", "1.001", "--terms", "{files}/new-terms.json",
            "--secret-file", "{files}/new-secret.hex", says="more than 2 decimals", id="too-precise",
        ),
    ],
    "dvp lock-money": [
        two("dvp", "lock-money", "--terms", "{files}/none.json", says="cannot read terms", id="missing-terms"),
        two("dvp", "lock-money", "--terms", "{files}/broken.json", says="not a terms file", id="broken-terms"),
        two("dvp", "lock-money", "--terms", "{files}/terms-malformed.json", says="malformed value", id="malformed-terms"),
        two("dvp", "lock-money", "--terms", "{files}/terms.json", says="no live title lock", id="bill-not-locked"),
    ],
    "dvp reveal": [
        two("dvp", "reveal", "--terms", "{files}/terms.json", "--secret-file", "{files}/none.hex", says="cannot read the secret", id="missing-secret"),
        two(
            "dvp", "reveal", "--terms", "{files}/terms.json", "--secret-file", "{files}/secret-malformed.hex",
            says="does not hold a hex secret", id="malformed-secret",
        ),
        two(
            "dvp", "reveal", "--terms", "{files}/terms.json", "--secret-file", "{files}/secret.hex",
            says="does not hash to the agreed hashlock", id="wrong-secret",
        ),
    ],
    "dvp claim": [
        two("dvp", "claim", "--terms", "{files}/terms.json", says="no claim under hashlock", id="secret-not-revealed"),
        two("dvp", "claim", "--terms", "{files}/none.json", says="cannot read terms", id="missing-terms"),
    ],
    "dvp refund": [
        two("dvp", "refund", "--terms", "{files}/terms.json", says="Missing option '--side'", id="no-side", offline=True),
        two("dvp", "refund", "--side", "title", "--terms", "{files}/terms.json", says="HtlcUnknownLock", id="nothing-locked"),
    ],
    "dvp status": [
        two("dvp", "status", "--terms", "{files}/broken.json", says="not a terms file", id="broken-terms"),
        bad("dvp", "status", "--terms", "{files}/terms.json", *SHANGHAI_ONLY, says="missing hong-kong", id="one-ledger-missing"),
    ],
}
# fmt: on
