"""The demo run by ``tradefin demo``: a Shanghai exporter's bill of lading issued, endorsed to a Hong Kong buyer,
surrendered and accomplished, each party with its own key, shown as a timeline and a chain of title.

It grows into the full settlement demo (letter of credit, collection, financing) as those flows land.
"""

from __future__ import annotations

from dataclasses import dataclass

from eth_account.signers.local import LocalAccount
from rich.console import Console
from rich.table import Table

from tradefin.context import Context
from tradefin.documents.examples import shanghai_hong_kong_bill
from tradefin.ebl.registry import TitleRegistry
from tradefin.ebl.verify import verify
from tradefin.transactions.sender import Receipt


@dataclass(frozen=True)
class TimelineRow:
    party: str
    action: str
    block: int
    timestamp: int
    tx_hash: str
    gas: int


class Timeline:
    """Prints each step as it lands and keeps it for the summary."""

    def __init__(self, ctx: Context, console: Console) -> None:
        self.ctx, self.console, self.rows = ctx, console, list[TimelineRow]()

    def record(self, party: str, action: str, receipt: Receipt) -> None:
        stamp = int(self.ctx.chain.block(receipt.block_number)["timestamp"], 16)
        row = TimelineRow(party, action, receipt.block_number, stamp, receipt.tx_hash, receipt.gas_used)
        self.rows.append(row)
        self.console.print(
            f"  [bold]{party:<14}[/] {action:<44} block {row.block:>3}  gas {row.gas:>9,}  {row.tx_hash[:18]}…"
        )


def run_demo(ctx: Context, console: Console | None = None) -> Timeline:
    console = console or Console(highlight=False)
    accounts = ctx.accounts
    carrier, shipper, buyer = accounts["carrier"], accounts["shipper"], accounts["buyer"]
    names: dict[str, str] = {carrier.address: "carrier", shipper.address: "shipper", buyer.address: "buyer"}
    console.print(
        f"[bold]tradefin demo[/] on {ctx.chain.name} (chain id {ctx.chain.chain_id}, {ctx.chain.client_version})"
    )
    timeline = Timeline(ctx, console)

    registry = TitleRegistry.deploy(ctx, carrier)
    record = ctx.deployments.record("TitleRegistry:EBL")
    console.print(
        f"  carrier's title registry at {registry.address}" + (f" (deploy gas {record.gas_used:,})" if record else "")
    )

    document = shanghai_hong_kong_bill()

    def act(party: LocalAccount, action: str, result: Receipt) -> None:
        timeline.record(names[party.address], action, result)

    issued = registry.issue(
        document,
        beneficiary=shipper.address,
        holder=shipper.address,
        sender=carrier,
        remark="shipped on board, CNSHA -> HKHKG",
    )
    tid = issued.id
    act(carrier, f"issue bill {document.transport_document_reference} to the shipper", issued.receipt)
    act(
        shipper,
        "endorse and deliver the bill to the buyer",
        registry.transfer_owners(tid, buyer.address, buyer.address, sender=shipper, remark="sold, paid"),
    )
    act(buyer, "surrender the bill for delivery of the goods", registry.surrender(tid, sender=buyer))
    act(carrier, "accept the surrender: bill accomplished", registry.accept_surrender(tid, sender=carrier))

    console.print()
    _print_chain_of_title(console, registry, tid, names)
    result = verify(document, registry)
    console.print(f"verify(document): valid={result.valid} ({result.reason})")
    total = sum(row.gas for row in timeline.rows)
    console.print(f"[bold]done[/]: {len(timeline.rows)} transactions, {total:,} gas")
    return timeline


def _print_chain_of_title(console: Console, registry: TitleRegistry, tid: int, names: dict[str, str]) -> None:
    table = Table(title=f"Chain of title of bill {tid:#x}"[:60] + "…", show_lines=False)
    for column in ("block", "action", "by", "beneficiary", "holder", "status"):
        table.add_column(column)
    for entry in registry.history(tid).entries:
        table.add_row(
            str(entry.block),
            entry.action,
            names.get(entry.actor, entry.actor[:10]),
            names.get(entry.beneficiary, entry.beneficiary[:10]),
            names.get(entry.holder, entry.holder[:10]),
            entry.status.name.lower(),
        )
    console.print(table)
