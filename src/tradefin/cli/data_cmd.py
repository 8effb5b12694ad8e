"""``tradefin data ...``: consented sharing of trade documents, each command one party's act (``--as``).

The owner deposits a document in the encrypted store and anchors its hash (``anchor``), grants a financier access
for a purpose until a date (``grant``) and may withdraw it (``revoke``); the financier asks the store for it with an
EIP-712 request signed with its own key (``request``), which the store serves once, before its deadline, only under a
live on-chain consent and only if the document still hashes to its anchor; every attempt lands in the store's audit
log (``audit``). ``check-financing`` asks the financing ledgers whether a bill or
an invoice is already financed. The store is ``--store`` (``$TRADEFIN_DATA_STORE``), its key ``--key-file``
(``$TRADEFIN_DATA_KEY_FILE``) or ``$TRADEFIN_DATA_KEY`` (64 hex digits); ``keygen`` makes a key file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from tradefin.cli.bl_cmd import _bill, _registry, registry_option, role_option
from tradefin.cli.money_cmd import DATE, contract_address, done, hash32, party, print_json, show_time
from tradefin.cli.options import ChainOptions, chain_options, open_context

if TYPE_CHECKING:
    from tradefin.context import Context
    from tradefin.data.anchors import DocumentAnchors
    from tradefin.data.consent import ConsentRegistry
    from tradefin.data.store import DocumentStore

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_CONSENTS = "ConsentRegistry"
DEFAULT_ANCHORS = "DocumentAnchors"
DEFAULT_STORE = "documents.sqlite"
DOCUMENT_TYPES = ("invoice", "packing-list", "certificate-of-origin")


def consents_option(command: F) -> F:
    return click.option(
        "--consents", default=DEFAULT_CONSENTS, show_default=True, help="Consent registry: address or deployment name."
    )(command)


def anchors_option(command: F) -> F:
    return click.option(
        "--anchors", default=DEFAULT_ANCHORS, show_default=True, help="Document anchors: address or deployment name."
    )(command)


def purpose_option(command: F) -> F:
    return click.option(
        "--purpose", required=True, help="Purpose code: up to 32 ASCII characters (TRADE_FINANCE) or a 0x 32-byte hex."
    )(command)


def store_options(command: F) -> F:
    command = click.option(
        "--key-file",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="TRADEFIN_DATA_KEY_FILE",
        default=None,
        help="The store's AES-256 key file (else $TRADEFIN_DATA_KEY, 64 hex digits).",
    )(command)
    return click.option(
        "--store",
        "store_path",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="TRADEFIN_DATA_STORE",
        default=DEFAULT_STORE,
        show_default=True,
        help="The encrypted document store (SQLite).",
    )(command)


def _consents(ctx: Context, ref: str) -> ConsentRegistry:
    from tradefin.data.consent import ConsentRegistry

    if ref.startswith("0x"):
        return ConsentRegistry.at(ctx, contract_address(ctx, ref))
    return ConsentRegistry(ctx.deployments.at(ref))


def _anchors(ctx: Context, ref: str) -> DocumentAnchors:
    from tradefin.data.anchors import DocumentAnchors

    if ref.startswith("0x"):
        return DocumentAnchors.at(ctx, contract_address(ctx, ref))
    return DocumentAnchors(ctx.deployments.at(ref))


@contextmanager
def _store(
    path: Path, key_file: Path | None, consents: ConsentRegistry | None = None, anchors: DocumentAnchors | None = None
) -> Iterator[DocumentStore]:
    from tradefin.data.keys import StoreKey
    from tradefin.data.store import DocumentStore

    with DocumentStore(path, StoreKey.load(key_file), consents=consents, anchors=anchors) as store:
        yield store


def _purpose(text: str) -> bytes:
    from tradefin.data.consent import purpose_code
    from tradefin.errors import TradefinError

    try:
        return purpose_code(text)
    except TradefinError as exc:
        raise click.BadParameter(str(exc), param_hint="--purpose") from None


@click.group("data")
def data_group() -> None:
    """Consented sharing of trade documents: deploy, anchor, grant, revoke, request, audit, check-financing."""


@data_group.command("keygen")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def keygen(path: Path) -> None:
    """Write a new random AES-256 store key to PATH (mode 600; never overwrites). Prints its fingerprint only."""
    from tradefin.data.keys import StoreKey

    key = StoreKey.generate()
    key.write(path)
    click.echo(f"key {key.fingerprint} written to {path}")


@data_group.command("deploy")
@role_option("deployer")
@chain_options
def deploy(role: str, chain_opts: ChainOptions) -> None:
    """Deploy the consent registry and the document anchors (each reused if live)."""
    from tradefin.data.anchors import DocumentAnchors
    from tradefin.data.consent import ConsentRegistry

    with open_context(chain_opts) as ctx:
        account = ctx.accounts[role]
        consents = ConsentRegistry.deploy(ctx, account)
        anchors = DocumentAnchors.deploy(ctx, account)
        click.echo(f"{consents.contract.name} at {consents.address}")
        click.echo(f"{anchors.contract.name} at {anchors.address}")


@data_group.command("anchor")
@click.argument("document", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--type", "document_type", type=click.Choice(DOCUMENT_TYPES), required=True, help="What it is.")
@click.option("--no-store", is_flag=True, help="Only anchor the hash; do not deposit the document in the store.")
@role_option("shipper")
@anchors_option
@store_options
@chain_options
def anchor(
    document: Path,
    document_type: str,
    no_store: bool,
    role: str,
    anchors: str,
    store_path: Path,
    key_file: Path | None,
    chain_opts: ChainOptions,
) -> None:
    """The issuer (--as) anchors DOCUMENT's keccak-256 on chain and deposits it, encrypted, in the store."""
    from tradefin.data.anchors import DocumentType, content_hash

    kind = DocumentType.parse(document_type)
    content = document.read_bytes()
    with ExitStack() as stack:
        store = None if no_store else stack.enter_context(_store(store_path, key_file))  # key problems first
        ctx = stack.enter_context(open_context(chain_opts))
        account = ctx.accounts[role]
        digest = content_hash(content)
        receipt = _anchors(ctx, anchors).anchor(digest, kind, sender=account)
        if store is not None:
            store.put(account.address, content, document_type=kind)
        done(f"anchored {kind.name.lower()} 0x{digest.hex()}", receipt)


@data_group.command("grant")
@click.argument("financier")
@click.argument("documents", nargs=-1, required=True)
@purpose_option
@click.option("--until", "expires_at", type=DATE, required=True, help="Last moment of access (a date: its end).")
@role_option("shipper")
@consents_option
@chain_options
def grant(
    financier: str,
    documents: tuple[str, ...],
    purpose: str,
    expires_at: int,
    role: str,
    consents: str,
    chain_opts: ChainOptions,
) -> None:
    """The owner (--as) lets FINANCIER read DOCUMENTS (0x hashes or files to hash) for --purpose until --until;
    replaces an earlier consent to FINANCIER for that purpose."""
    code = _purpose(purpose)
    hashes = [hash32(d, "document") for d in documents]
    with open_context(chain_opts) as ctx:
        registry = _consents(ctx, consents)
        receipt = registry.grant(
            party(ctx, financier), hashes, purpose=code, expires_at=expires_at, sender=ctx.accounts[role]
        )
        done(f"granted {financier} {len(hashes)} document(s) for {purpose} until {show_time(expires_at)}", receipt)


@data_group.command("revoke")
@click.argument("financier")
@purpose_option
@role_option("shipper")
@consents_option
@chain_options
def revoke(financier: str, purpose: str, role: str, consents: str, chain_opts: ChainOptions) -> None:
    """The owner (--as) withdraws its consent to FINANCIER for --purpose."""
    code = _purpose(purpose)
    with open_context(chain_opts) as ctx:
        receipt = _consents(ctx, consents).revoke(party(ctx, financier), purpose=code, sender=ctx.accounts[role])
        done(f"revoked the consent to {financier} for {purpose}", receipt)


@data_group.command("request")
@click.argument("owner")
@click.argument("document")
@purpose_option
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write it here (else stdout)."
)
@click.option(
    "--valid-for",
    type=click.IntRange(1, 86_400),
    default=600,
    show_default=True,
    help="Seconds of chain time the signed request stays valid.",
)
@role_option("financier")
@consents_option
@anchors_option
@store_options
@chain_options
def request(
    owner: str,
    document: str,
    purpose: str,
    out: Path | None,
    valid_for: int,
    role: str,
    consents: str,
    anchors: str,
    store_path: Path,
    key_file: Path | None,
    chain_opts: ChainOptions,
) -> None:
    """The financier (--as) asks the store for OWNER's DOCUMENT (0x hash) for --purpose with a request signed with
    its key (EIP-712: chain id, consent registry, a fresh nonce, a deadline --valid-for seconds ahead); served only
    under the owner's live consent and if it still hashes to its anchor. The attempt is audited either way."""
    from tradefin.data.requests import sign_document_request

    code = _purpose(purpose)
    digest = hash32(document, "document")
    with open_context(chain_opts) as ctx:
        registry, book = _consents(ctx, consents), _anchors(ctx, anchors)
        with _store(store_path, key_file, registry, book) as store:
            signed = sign_document_request(
                ctx.accounts[role],
                owner=party(ctx, owner),
                documents=[digest],
                purpose=code,
                chain_id=ctx.chain.chain_id,
                registry=registry.address,
                deadline=ctx.chain.timestamp() + valid_for,
            )
            content = store.serve(signed)[digest]
    if out is None:
        click.get_binary_stream("stdout").write(content)
    else:
        out.write_bytes(content)
        click.echo(f"served 0x{digest.hex()} ({len(content)} bytes) to {out}")


@data_group.command("audit")
@click.option("--financier", default=None, help="Only this financier's attempts (address).")
@click.option("--outcome", type=click.Choice(["granted", "refused", "failed"]), default=None)
@click.option("--verify", is_flag=True, help="Check the log's hash chain first (exit 1 if it was altered).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@store_options
def audit(
    financier: str | None, outcome: str | None, verify: bool, as_json: bool, store_path: Path, key_file: Path | None
) -> None:
    """Every access attempt on the store: when, who, which document, purpose, granted or refused and why."""
    from tradefin.errors import ConfigError

    if not store_path.is_file():
        raise ConfigError(f"no document store at {store_path}")
    if financier is not None and not (financier.startswith("0x") and len(financier) == 42):
        raise click.BadParameter(f"not an address: {financier}", param_hint="--financier")
    with _store(store_path, key_file) as store:
        if verify:
            count = store.verify_audit()
            click.echo(f"audit log verified: {count} entries", err=True)
        entries = store.audit(financier=financier, outcome=outcome)
    if as_json:
        print_json(entries)
        return
    for e in entries:
        when = show_time(int(e.at))
        click.echo(
            f"{e.id:>4} {when} block {e.block if e.block is not None else '-':>6}  {e.outcome:<8} {e.reason:<30} "
            f"{e.financier} <- {e.owner} {e.document_hash} {e.purpose}"
        )


@data_group.command("check-financing")
@click.argument("bill")
@click.option("--invoice", default=None, help="The invoice: 0x hash or file to hash.")
@click.option(
    "--ledger",
    "ledgers",
    multiple=True,
    default=("FinancingLedger",),
    show_default=True,
    help="Ledger(s) to ask: address or deployment name (repeat); every recorded ledger is asked too.",
)
@registry_option
@chain_options
def check_financing(
    bill: str, invoice: str | None, ledgers: tuple[str, ...], registry: str, chain_opts: ChainOptions
) -> None:
    """Exit 1 naming the holder if BILL (or --invoice) is held by a live financing on any known ledger."""
    from tradefin.data.financing import check_not_financed, ledgers_of

    bill_id = _bill(bill)
    invoice_hash = None if invoice is None else hash32(invoice, "invoice")
    with open_context(chain_opts) as ctx:
        first, *rest = ledgers_of(ctx, [contract_address(ctx, r) if r.startswith("0x") else r for r in ledgers])
        check = check_not_financed(ctx, first, _registry(ctx, registry), bill_id, invoice_hash, ledgers=rest)
        click.echo(f"not financed: asked {len(check.ledgers)} ledger(s) ({', '.join(check.ledgers)})")
