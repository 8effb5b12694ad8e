"""The settlement report: an HTML page (sequence diagram, chain of title, money movements, gas) and its JSON.

Everything in it comes from the journaled step results (block times, not the wall clock), so the same run gives
the same report.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tradefin.flows.model import StepResult

TITLE_EVENTS = {
    "TitleIssued": "issued",
    "HolderTransferred": "possession passed",
    "BeneficiaryTransferred": "endorsed",
    "HolderTransferRejected": "possession handed back",
    "BeneficiaryTransferRejected": "endorsement rejected",
    "EndorsedInBlank": "endorsed in blank",
    "SurrenderRequested": "surrendered",
    "SurrenderAccepted": "surrender accepted",
    "SurrenderRejected": "surrender rejected",
    "TitleLocked": "encumbered",
    "TitleUnlocked": "released",
}


@dataclass(frozen=True)
class FlowRecord:
    """One flow's results as the report shows them."""

    name: str
    description: str
    run_id: int
    results: Sequence[StepResult]


@dataclass(frozen=True)
class Movement:
    flow: str
    step: str
    block: int
    kind: str  # "title" or "money"
    what: str
    sender: str
    receiver: str
    detail: str


class Names:
    """Readable names for addresses: parties by role, contracts by what they are."""

    def __init__(self, names: Mapping[str, str]) -> None:
        self._names = {address.lower(): name for address, name in names.items()}

    def __call__(self, address: Any) -> str:
        if not isinstance(address, str):
            return str(address)
        return self._names.get(address.lower(), address[:10] + "…")


def movements(flows: Sequence[FlowRecord], names: Names, tokens: Mapping[str, tuple[str, int]]) -> list[Movement]:
    """Title and money movements, in chain order, from the steps' events."""
    found = []
    for flow in flows:
        for step in flow.results:
            for event in step.events:
                args = event["args"]
                name = event["name"]
                if name in TITLE_EVENTS:
                    bill = str(args.get("id", ""))[:12] + "…"
                    sender = args.get("from") or args.get("surrenderer") or args.get("owner") or args.get("locker")
                    receiver = args.get("to") or args.get("beneficiary") or args.get("locker") or ""
                    found.append(
                        Movement(
                            flow.name,
                            step.name,
                            step.block,
                            "title",
                            f"bill {bill}",
                            names(sender or step.sender),
                            names(receiver),
                            TITLE_EVENTS[name],
                        )
                    )
                elif name == "Transfer" and "value" in args and event["address"].lower() in tokens:
                    symbol, decimals = tokens[event["address"].lower()]
                    amount = int(args["value"], 16) if isinstance(args["value"], str) else int(args["value"])
                    found.append(
                        Movement(
                            flow.name,
                            step.name,
                            step.block,
                            "money",
                            symbol,
                            names(args["from"]),
                            names(args["to"]),
                            f"{amount / 10**decimals:,.{decimals}f} {symbol}",
                        )
                    )
    return found


def _sequence_svg(flow: FlowRecord, names: Names, lanes: Sequence[str]) -> str:
    """A sequence diagram: one lifeline per party or contract, one arrow per step, dashed arrows for what moved."""
    width, lane_gap, top, row = 170 * len(lanes), 170, 50, 34
    x = {lane: 85 + i * lane_gap for i, lane in enumerate(lanes)}
    rows: list[str] = []
    y: float = top + 20
    for step in flow.results:
        actor = step.party
        target = names(_called(step)) if _called(step) else actor
        if target not in x:
            target = actor
        rows.append(_arrow(x[actor], x[target], y, step.label, solid=True))
        y += row
        for event in step.events:
            args = event["args"]
            if event["name"] in ("Transfer", "HolderTransferred") and isinstance(args.get("to"), str):
                source, sink = names(args.get("from", "")), names(args["to"])
                if source in x and sink in x and source != sink:
                    what = "money" if "value" in args else "title"
                    label = "possession" if event["name"] == "HolderTransferred" else what
                    rows.append(_arrow(x[source], x[sink], y, label, solid=False))
                    y += row * 0.7
    height = int(y + 20)
    heads = "".join(
        f'<rect x="{x[lane] - 75}" y="8" width="150" height="28" rx="4" class="head"/>'
        f'<text x="{x[lane]}" y="27" class="lane">{html.escape(lane)}</text>'
        f'<line x1="{x[lane]}" y1="36" x2="{x[lane]}" y2="{height}" class="life"/>'
        for lane in lanes
    )
    return (
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg">{heads}{"".join(rows)}</svg>'
    )


def _called(step: StepResult) -> str | None:
    for event in step.events:
        return str(event["address"])
    return step.contract_address


def _arrow(x1: float, x2: float, y: float, label: str, *, solid: bool) -> str:
    style = "msg" if solid else "move"
    if x1 == x2:
        return (
            f'<path d="M{x1} {y} h30 v14 h-30" class="{style}" marker-end="url(#a)"/>'
            f'<text x="{x1 + 36}" y="{y + 10}" class="label">{html.escape(label)}</text>'
        )
    mid = (x1 + x2) / 2
    return (
        f'<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" class="{style}"/>'
        f'<polygon points="{x2},{y} {x2 - 8 if x2 > x1 else x2 + 8},{y - 4} {x2 - 8 if x2 > x1 else x2 + 8},'
        f'{y + 4}" class="tip"/>'
        f'<text x="{mid}" y="{y - 5}" class="label" text-anchor="middle">{html.escape(label)}</text>'
    )


CSS = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222} h1{margin-bottom:0} .sub{color:#666}
table{border-collapse:collapse;margin:1em 0} td,th{border:1px solid #ddd;padding:4px 8px;font-size:13px}
th{background:#f3f3f3} td.num{text-align:right;font-variant-numeric:tabular-nums} code{font-size:12px}
.head{fill:#eef3fb;stroke:#7a9cc6} .lane{font-size:12px;text-anchor:middle;font-weight:600}
.life{stroke:#bbb;stroke-dasharray:4 4} .msg{stroke:#234;stroke-width:1.4} .move{stroke:#2a7;stroke-dasharray:5 3}
.tip{fill:#234} .label{font-size:11px}
"""


def write_report(
    folder: Path,
    flows: Sequence[FlowRecord],
    *,
    names: Mapping[str, str],
    tokens: Mapping[str, tuple[str, int]],
    chain: Mapping[str, Any],
    stem: str = "settlement",
) -> Path:
    """Write ``<stem>.html`` and ``<stem>.json`` under ``folder``; the HTML path."""
    folder.mkdir(parents=True, exist_ok=True)
    namer = Names(names)
    lower_tokens = {a.lower(): t for a, t in tokens.items()}
    moved = movements(flows, namer, lower_tokens)
    parts = [
        f"<h1>Settlement report</h1><p class='sub'>chain {chain.get('chain_id')} · "
        f"{html.escape(str(chain.get('client', '')))} · {sum(len(f.results) for f in flows)} transactions · "
        f"{sum(r.gas_used for f in flows for r in f.results):,} gas</p>"
    ]
    for flow in flows:
        lanes = _lanes(flow, namer)
        parts.append(f"<h2>{html.escape(flow.name)}</h2><p>{html.escape(flow.description)} (run {flow.run_id})</p>")
        parts.append(_sequence_svg(flow, namer, lanes))
        parts.append(
            "<table><tr><th>#</th><th>party</th><th>action</th><th>block</th><th>block time (UTC)</th>"
            "<th>gas</th><th>transaction</th></tr>"
        )
        for i, r in enumerate(flow.results, 1):
            stamp = _utc(r.timestamp)
            parts.append(
                f"<tr><td>{i}</td><td>{html.escape(r.party)}</td><td>{html.escape(r.label)}</td>"
                f"<td class=num>{r.block}</td><td>{stamp}</td><td class=num>{r.gas_used:,}</td>"
                f"<td><code>{r.tx_hash}</code></td></tr>"
            )
        parts.append(
            f"<tr><th colspan=5>total</th><th class=num>{sum(r.gas_used for r in flow.results):,}</th>"
            "<th></th></tr></table>"
        )
        flow_moves = [m for m in moved if m.flow == flow.name]
        for kind, title in (("title", "Chain of title"), ("money", "Money movements")):
            rows = [m for m in flow_moves if m.kind == kind]
            if not rows:
                continue
            parts.append(
                f"<h3>{title}</h3><table><tr><th>block</th><th>step</th><th>what</th><th>from</th>"
                "<th>to</th><th>detail</th></tr>"
            )
            parts += [
                f"<tr><td class=num>{m.block}</td><td>{html.escape(m.step)}</td><td>{html.escape(m.what)}</td>"
                f"<td>{html.escape(m.sender)}</td><td>{html.escape(m.receiver)}</td>"
                f"<td>{html.escape(m.detail)}</td></tr>"
                for m in rows
            ]
            parts.append("</table>")
    page = (
        f"<!doctype html><html><head><meta charset='utf-8'><title>tradefin settlement report</title>"
        f"<style>{CSS}</style></head><body>{''.join(parts)}</body></html>"
    )
    target = folder / f"{stem}.html"
    target.write_text(page)
    data = {
        "chain": dict(chain),
        "flows": [{"name": f.name, "run_id": f.run_id, "steps": [r.to_json() for r in f.results]} for f in flows],
        "movements": [m.__dict__ for m in moved],
    }
    (folder / f"{stem}.json").write_text(json.dumps(data, indent=1, sort_keys=True))
    return target


def _lanes(flow: FlowRecord, names: Names) -> list[str]:
    lanes: list[str] = []
    for step in flow.results:
        for lane in (step.party, names(_called(step)) if _called(step) else None):
            if lane and lane not in lanes and not lane.endswith("…"):
                lanes.append(lane)
    return lanes


def _utc(timestamp: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M:%S")
