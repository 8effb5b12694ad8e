"""The cross-border report: the settlement report's page and JSON, with the ledger of every step.

A sequence diagram whose contract lifelines are per ledger (``registry · shanghai``), each step's ledger, block
time and gas; the chain of title across both chains (bridge pledges, claims and confirmations included); money
movements; gas per ledger. Everything comes from the journaled step results, so the same run gives the same bytes.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tradefin.flows.model import StepResult
from tradefin.flows.report import CSS, FlowRecord, Names, movements

BRIDGE_EVENTS = {
    "BillPledged": "pledged to the bridge",
    "BillClaimed": "claimed from the bridge: issued here with provenance",
    "PledgeConfirmed": "claim attested: this copy final",
    "PledgeReclaimed": "pledge reclaimed",
    "TitleHashLocked": "hash-time locked",
    "LockClaimed": "lock claimed with the secret",
    "LockRefunded": "lock refunded",
}
LEDGER_CSS = """
.ledger0{fill:#fdecea;stroke:#c0504d} .ledger1{fill:#e8f1fb;stroke:#4f81bd} .tag{font-size:10px;fill:#555}
td.l0{background:#fdf3f2} td.l1{background:#f1f6fc}
"""


def _short(value: Any) -> str:
    text = str(value)
    return text[:12] + "…" if len(text) > 14 else text


def ledger_movements(
    flows: Sequence[FlowRecord],
    names: Mapping[str, Names],
    tokens: Mapping[str, Mapping[str, tuple[str, int]]],
    chain_names: Mapping[int, str] | None = None,
) -> list[dict[str, Any]]:
    """Title and money movements of every flow, in step order, each with its ledger; bridge and hash-lock events
    are title rows too (the chain of title across the chains)."""
    chain_names = chain_names or {}
    rows: list[tuple[tuple[int, int, int], dict[str, Any]]] = []
    for f_index, flow in enumerate(flows):
        order = {step.name: i for i, step in enumerate(flow.results)}
        for ledger, namer in names.items():
            mine = [r for r in flow.results if r.chain == ledger]
            if not mine:
                continue
            found = movements([FlowRecord(flow.name, flow.description, flow.run_id, mine)], namer, tokens[ledger])
            for n, m in enumerate(found):
                rows.append(((f_index, order[m.step], n), {**m.__dict__, "ledger": ledger}))
            for step in mine:
                for n, event in enumerate(step.events):
                    detail = BRIDGE_EVENTS.get(event["name"])
                    if detail is None:
                        continue
                    args = event["args"]
                    if event["name"] in ("LockClaimed", "LockRefunded") and _moves_money(step):
                        continue  # a money lock: the token transfer is in the money movements
                    bill = args.get("billId") or args.get("id") or _bill_of(step) or args.get("lockId", "")
                    chain = args.get("destinationChainId") or args.get("sourceChainId")
                    if chain is not None:
                        where = "for" if "destinationChainId" in args else "from"
                        detail += f" ({where} {chain_names.get(_as_int(chain), str(chain))})"
                    row = {
                        "flow": flow.name,
                        "step": step.name,
                        "block": step.block,
                        "kind": "title",
                        "what": f"bill {_short(bill)}",
                        "sender": namer(args.get("owner") or args.get("sender") or step.sender),
                        "receiver": namer(args.get("recipient") or event["address"]),
                        "detail": detail,
                        "ledger": ledger,
                    }
                    rows.append(((f_index, order[step.name], -100 + n), row))
    return [row for _, row in sorted(rows, key=lambda item: item[0])]


def _moves_money(step: StepResult) -> bool:
    return any(e["name"] == "Transfer" and "value" in e["args"] for e in step.events)


def _bill_of(step: StepResult) -> Any:
    return next((e["args"]["id"] for e in step.events if "id" in e["args"]), None)


def _as_int(value: Any) -> int:
    return int(value, 16) if isinstance(value, str) else int(value)


def _lane_of(step: StepResult, names: Mapping[str, Names]) -> str | None:
    address = next((str(e["address"]) for e in step.events), step.contract_address)
    if address is None:
        return None
    name = names[step.chain](address)
    return None if name.endswith("…") else name


def _sequence_svg(flow: FlowRecord, names: Mapping[str, Names], ledgers: Sequence[str]) -> str:
    lanes: list[str] = []
    for step in flow.results:
        for lane in (step.party, _lane_of(step, names)):
            if lane and lane not in lanes:
                lanes.append(lane)
    gap, row = 160, 32
    x = {lane: 80 + i * gap for i, lane in enumerate(lanes)}
    parts: list[str] = []
    y: float = 70
    for step in flow.results:
        target = _lane_of(step, names) or step.party
        x1, x2 = x[step.party], x[target]
        label = html.escape(f"[{step.chain}] {step.label}")
        if x1 == x2:
            parts.append(f'<path d="M{x1} {y} h30 v14 h-30" class="msg"/>')
            parts.append(f'<text x="{x1 + 36}" y="{y + 10}" class="label">{label}</text>')
        else:
            tip = x2 - 8 if x2 > x1 else x2 + 8
            parts.append(f'<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" class="msg"/>')
            parts.append(f'<polygon points="{x2},{y} {tip},{y - 4} {tip},{y + 4}" class="tip"/>')
            parts.append(f'<text x="{(x1 + x2) / 2}" y="{y - 5}" class="label" text-anchor="middle">{label}</text>')
        y += row
    height = int(y + 10)
    heads = []
    for lane in lanes:
        ledger = next((i for i, name in enumerate(ledgers) if lane.endswith(f"· {name}")), None)
        style = "head" if ledger is None else f"ledger{ledger % 2}"
        heads.append(
            f'<rect x="{x[lane] - 75}" y="8" width="150" height="34" rx="4" class="{style}"/>'
            f'<text x="{x[lane]}" y="29" class="lane">{html.escape(lane)}</text>'
            f'<line x1="{x[lane]}" y1="42" x2="{x[lane]}" y2="{height}" class="life"/>'
        )
    width = 160 * max(len(lanes), 1)
    return (
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(heads)}{"".join(parts)}</svg>'
    )


def gas_by_ledger(flows: Sequence[FlowRecord], ledgers: Sequence[str]) -> dict[str, Any]:
    per_flow = {
        f.name: {name: sum(r.gas_used for r in f.results if r.chain == name) for name in ledgers} for f in flows
    }
    total = {name: sum(per_flow[f.name][name] for f in flows) for name in ledgers}
    return {"by_flow": per_flow, "by_ledger": total, "total": sum(total.values())}


def write_cross_border_report(
    folder: Path,
    flows: Sequence[FlowRecord],
    *,
    ledgers: Mapping[str, Mapping[str, Any]],
    names: Mapping[str, Mapping[str, str]],
    tokens: Mapping[str, Mapping[str, tuple[str, int]]],
    stem: str = "cross-border",
) -> Path:
    """Write ``<stem>.html`` and ``<stem>.json`` under ``folder``; the HTML path. ``ledgers``: {name: {chain_id,
    client}}; ``names`` and ``tokens``: per ledger, {address: name} and {address: (symbol, decimals)}."""
    folder.mkdir(parents=True, exist_ok=True)
    order = list(ledgers)
    namers = {ledger: Names(names.get(ledger, {})) for ledger in order}
    lower = {ledger: {a.lower(): t for a, t in tokens.get(ledger, {}).items()} for ledger in order}
    by_id = {_as_int(info["chain_id"]): name for name, info in ledgers.items() if "chain_id" in info}
    moved = ledger_movements(flows, namers, lower, by_id)
    gas = gas_by_ledger(flows, order)
    cls = {name: f"l{i % 2}" for i, name in enumerate(order)}
    summary = " · ".join(
        f"{html.escape(n)}: chain {info.get('chain_id')} ({html.escape(str(info.get('client', '')))})"
        for n, info in ledgers.items()
    )
    parts = [
        f"<h1>Cross-border report</h1><p class='sub'>{summary} · {sum(len(f.results) for f in flows)} "
        f"transactions · {gas['total']:,} gas</p>",
        "<h2>Gas per ledger</h2><table><tr><th>flow</th>"
        + "".join(f"<th>{html.escape(n)}</th>" for n in order)
        + "<th>total</th></tr>",
    ]
    for flow in flows:
        per = gas["by_flow"][flow.name]
        parts.append(
            f"<tr><td>{html.escape(flow.name)}</td>"
            + "".join(f"<td class=num>{per[n]:,}</td>" for n in order)
            + f"<td class=num>{sum(per.values()):,}</td></tr>"
        )
    parts.append(
        "<tr><th>total</th>"
        + "".join(f"<th class=num>{gas['by_ledger'][n]:,}</th>" for n in order)
        + f"<th class=num>{gas['total']:,}</th></tr></table>"
    )
    for flow in flows:
        parts.append(f"<h2>{html.escape(flow.name)}</h2><p>{html.escape(flow.description)} (run {flow.run_id})</p>")
        parts.append(_sequence_svg(flow, namers, order))
        parts.append(
            "<table><tr><th>#</th><th>ledger</th><th>party</th><th>action</th><th>block</th>"
            "<th>block time (UTC)</th><th>gas</th><th>transaction</th></tr>"
        )
        for i, r in enumerate(flow.results, 1):
            parts.append(
                f"<tr><td>{i}</td><td class={cls.get(r.chain, '')}>{html.escape(r.chain)}</td>"
                f"<td>{html.escape(r.party)}</td><td>{html.escape(r.label)}</td><td class=num>{r.block}</td>"
                f"<td>{_utc(r.timestamp)}</td><td class=num>{r.gas_used:,}</td><td><code>{r.tx_hash}</code></td></tr>"
            )
        parts.append("</table>")
        for kind, title in (("title", "Chain of title across the ledgers"), ("money", "Money movements")):
            rows = [m for m in moved if m["flow"] == flow.name and m["kind"] == kind]
            if not rows:
                continue
            parts.append(
                f"<h3>{title}</h3><table><tr><th>ledger</th><th>block</th><th>step</th><th>what</th><th>from</th>"
                "<th>to</th><th>detail</th></tr>"
            )
            parts += [
                f"<tr><td class={cls.get(m['ledger'], '')}>{html.escape(m['ledger'])}</td>"
                f"<td class=num>{m['block']}</td><td>{html.escape(m['step'])}</td><td>{html.escape(m['what'])}</td>"
                f"<td>{html.escape(m['sender'])}</td><td>{html.escape(m['receiver'])}</td>"
                f"<td>{html.escape(m['detail'])}</td></tr>"
                for m in rows
            ]
            parts.append("</table>")
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>tradefin cross-border report</title>"
        f"<style>{CSS}{LEDGER_CSS}</style></head><body>{''.join(parts)}</body></html>"
    )
    target = folder / f"{stem}.html"
    target.write_text(page)
    data = {
        "ledgers": {name: dict(info) for name, info in ledgers.items()},
        "flows": [{"name": f.name, "run_id": f.run_id, "steps": [r.to_json() for r in f.results]} for f in flows],
        "movements": moved,
        "gas": gas,
    }
    (folder / f"{stem}.json").write_text(json.dumps(data, indent=1, sort_keys=True))
    return target


def _utc(timestamp: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M:%S")
