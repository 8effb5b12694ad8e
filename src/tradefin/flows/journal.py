"""A SQLite journal of flow runs: every step is written before it is sent and after it lands.

A step moves ``planned -> signed -> sent -> done`` (or ``failed``). ``signed`` holds the exact signed bytes, so
a resumed run re-sends the same transaction (same hash: never a second one) instead of signing anew.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tradefin.errors import TradefinError
from tradefin.sqlite import open_journal
from tradefin.transactions.sender import SignedTransaction

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id          INTEGER PRIMARY KEY,
    flow        TEXT NOT NULL,
    params      TEXT NOT NULL,
    chain_id    INTEGER NOT NULL,
    status      TEXT NOT NULL,          -- running | done | failed
    error       TEXT,
    created     REAL NOT NULL,
    updated     REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS steps (
    run_id      INTEGER NOT NULL REFERENCES runs(id),
    seq         INTEGER NOT NULL,
    name        TEXT NOT NULL,
    party       TEXT NOT NULL,
    action      TEXT NOT NULL,          -- the intended call, as JSON
    status      TEXT NOT NULL,          -- planned | signed | sent | done | failed
    tx_hash     TEXT,
    nonce       INTEGER,
    raw_tx      BLOB,
    request     TEXT,                   -- from, to, data, value, gas of the signed transaction
    receipt     TEXT,
    result      TEXT,
    error       TEXT,
    updated     REAL NOT NULL,
    PRIMARY KEY (run_id, seq)
);
"""


class JournalError(TradefinError):
    """The journal is missing, unreadable or does not match the flow being resumed."""


@dataclass(frozen=True)
class StepRecord:
    run_id: int
    seq: int
    name: str
    party: str
    action: dict[str, Any]
    status: str
    tx_hash: str | None
    nonce: int | None
    raw_tx: bytes | None
    request: dict[str, Any] | None
    receipt: dict[str, Any] | None
    result: dict[str, Any] | None
    error: str | None


@dataclass(frozen=True)
class RunRecord:
    id: int
    flow: str
    params: dict[str, Any]
    chain_id: int
    status: str
    error: str | None


class Journal:
    """One SQLite file; safe to open from several processes (each write is its own transaction)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._db = open_journal(path, SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise JournalError(f"cannot open journal {path}: {exc}") from None

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def batch(self, *, durable: bool = True) -> Iterator[None]:
        """Group the writes inside into one transaction (at most one fsync), as the pipelined runner does. Say
        ``durable=False`` only when nothing inside records a signed transaction."""
        with self._write(durable=durable):
            self._batching = True
            try:
                yield
            finally:
                self._batching = False

    @contextmanager
    def _write(self, *, durable: bool = False) -> Iterator[sqlite3.Connection]:
        """One write transaction. Every commit survives the process dying; a ``durable`` one also survives power
        loss (fsync) and makes every earlier commit durable with it (they sit before it in the write-ahead log).
        Only signed transactions need that before they are broadcast; the rest (sent, done) can be re-learned from
        the chain, so they skip the fsync, which is most of a journal write's cost."""
        if getattr(self, "_batching", False):
            yield self._db
            return
        self._db.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- runs -----------------------------------------------------------------------------------------------------

    def start_run(self, flow: str, params: dict[str, Any], chain_id: int) -> int:
        now = time.time()
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO runs (flow, params, chain_id, status, created, updated) VALUES (?, ?, ?, 'running', ?, ?)",
                (flow, json.dumps(params, sort_keys=True), chain_id, now, now),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def finish_run(self, run_id: int, status: str, error: str | None = None) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE runs SET status = ?, error = ?, updated = ? WHERE id = ?", (status, error, time.time(), run_id)
            )

    def run(self, run_id: int) -> RunRecord:
        row = self._db.execute(
            "SELECT id, flow, params, chain_id, status, error FROM runs WHERE id = ?", (run_id,)
        ).fetchone()
        if row is None:
            raise JournalError(f"no run {run_id} in {self.path}")
        return RunRecord(row[0], row[1], json.loads(row[2]), row[3], row[4], row[5])

    def last_session(self, chain_id: int, flows: Sequence[str]) -> list[RunRecord]:
        """The runs of the latest sequence of ``flows`` (a demo's) on chain ``chain_id``, oldest first: from its
        last run of ``flows[0]`` on; empty if there is none. :class:`JournalError` if those runs are not ``flows``
        in order (the journal is someone else's)."""
        runs = [run for run in self.runs() if run.chain_id == chain_id]
        starts = [n for n, run in enumerate(runs) if run.flow == flows[0]]
        session = runs[starts[-1] :] if starts else []
        if [run.flow for run in session] != list(flows[: len(session)]):
            found = ", ".join(run.flow for run in session)
            raise JournalError(f"{self.path}: the last runs on chain {chain_id} ({found}) are not {', '.join(flows)}")
        return session

    def runs(self, status: str | None = None) -> list[RunRecord]:
        if status is None:
            rows = self._db.execute("SELECT id FROM runs ORDER BY id")
        else:
            rows = self._db.execute("SELECT id FROM runs WHERE status = ? ORDER BY id", (status,))
        return [self.run(r[0]) for r in rows.fetchall()]

    # -- steps ----------------------------------------------------------------------------------------------------

    def step(self, run_id: int, seq: int) -> StepRecord | None:
        row = self._db.execute(
            "SELECT run_id, seq, name, party, action, status, tx_hash, nonce, raw_tx, request, receipt, result, error "
            "FROM steps WHERE run_id = ? AND seq = ?",
            (run_id, seq),
        ).fetchone()
        if row is None:
            return None
        loaded = [json.loads(v) if v else None for v in (row[9], row[10], row[11])]
        return StepRecord(
            row[0],
            row[1],
            row[2],
            row[3],
            json.loads(row[4]),
            row[5],
            row[6],
            row[7],
            row[8],
            loaded[0],
            loaded[1],
            loaded[2],
            row[12],
        )

    def steps(self, run_id: int) -> list[StepRecord]:
        seqs = [r[0] for r in self._db.execute("SELECT seq FROM steps WHERE run_id = ? ORDER BY seq", (run_id,))]
        return [s for s in (self.step(run_id, q) for q in seqs) if s is not None]

    def signed_transactions(self) -> list[bytes]:
        """Every signed transaction in the journal, in the order it was recorded (and so sent)."""
        rows = self._db.execute("SELECT raw_tx FROM steps WHERE raw_tx IS NOT NULL ORDER BY rowid")
        return [bytes(row[0]) for row in rows.fetchall()]

    def plan(self, run_id: int, seq: int, name: str, party: str, action: dict[str, Any]) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO steps (run_id, seq, name, party, action, status, updated) VALUES (?, ?, ?, ?, ?, "
                "'planned', ?) ON CONFLICT(run_id, seq) DO UPDATE SET status = 'planned', error = NULL, "
                "updated = excluded.updated",
                (run_id, seq, name, party, json.dumps(action, sort_keys=True), time.time()),
            )

    def signed(self, run_id: int, seq: int, *, tx_hash: str, nonce: int, raw: bytes, request: dict[str, Any]) -> None:
        self._set(
            run_id,
            seq,
            durable=True,
            status="signed",
            tx_hash=tx_hash,
            nonce=nonce,
            raw_tx=raw,
            request=json.dumps(request, sort_keys=True),
        )

    def sent(self, run_id: int, seq: int) -> None:
        self._set(run_id, seq, status="sent")

    def done(self, run_id: int, seq: int, receipt: dict[str, Any] | None, result: dict[str, Any]) -> None:
        self._set(
            run_id,
            seq,
            status="done",
            receipt=json.dumps(receipt) if receipt else None,
            result=json.dumps(result, sort_keys=True),
        )

    def signed_many(self, rows: list[tuple[int, int, str, str, dict[str, Any], SignedTransaction]]) -> None:
        """Record many steps as planned and signed at once: (run, seq, name, party, action, signed)."""
        now = time.time()
        with self._write(durable=True) as db:
            db.executemany(
                "INSERT INTO steps (run_id, seq, name, party, action, status, tx_hash, nonce, raw_tx, request, updated)"
                " VALUES (?, ?, ?, ?, ?, 'signed', ?, ?, ?, ?, ?)",
                [
                    (
                        run,
                        seq,
                        name,
                        party,
                        json.dumps(action, sort_keys=True),
                        tx.tx_hash,
                        tx.nonce,
                        tx.raw,
                        json.dumps(tx.request, sort_keys=True),
                        now,
                    )
                    for run, seq, name, party, action, tx in rows
                ],
            )

    def sent_many(self, rows: list[tuple[int, int]]) -> None:
        now = time.time()
        with self._write() as db:
            db.executemany(
                "UPDATE steps SET status = 'sent', updated = ? WHERE run_id = ? AND seq = ? AND status = 'signed'",
                [(now, run, seq) for run, seq in rows],
            )

    def done_many(self, rows: list[tuple[int, int, dict[str, Any], dict[str, Any]]]) -> None:
        """Record many steps as done at once: (run, seq, receipt, result)."""
        now = time.time()
        with self._write() as db:
            db.executemany(
                "UPDATE steps SET status = 'done', receipt = ?, result = ?, updated = ? WHERE run_id = ? AND seq = ?",
                [
                    (json.dumps(receipt), json.dumps(result, sort_keys=True), now, run, seq)
                    for run, seq, receipt, result in rows
                ],
            )

    def failed(self, run_id: int, seq: int, error: str) -> None:
        self._set(run_id, seq, status="failed", error=error)

    def _set(self, run_id: int, seq: int, *, durable: bool = False, **fields: Any) -> None:
        assignments = ", ".join(f"{k} = ?" for k in fields)
        with self._write(durable=durable) as db:
            updated = db.execute(
                f"UPDATE steps SET {assignments}, updated = ? WHERE run_id = ? AND seq = ?",  # noqa: S608
                (*fields.values(), time.time(), run_id, seq),
            )
        if updated.rowcount != 1:
            raise JournalError(f"run {run_id} has no step {seq}")
