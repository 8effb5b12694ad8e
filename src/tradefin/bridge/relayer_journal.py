"""The relayer's SQLite journal: scan cursors, the pledges it follows and every transaction it submits.

Each submission (one per pledge and action: ``claim``, ``confirm`` or ``reclaim``) moves
``signed -> sent -> done`` (or ``failed``). ``signed`` holds the exact signed bytes and is written before they are
broadcast, so a restarted relayer re-sends the same bytes (same hash: never a second transaction) instead of
asking the committee and signing anew. WAL mode, one transaction per write, ``synchronous=FULL``.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tradefin.errors import TradefinError
from tradefin.sqlite import open_journal
from tradefin.transactions.sender import SignedTransaction

SCHEMA = """
CREATE TABLE IF NOT EXISTS cursors (
    chain_id    INTEGER PRIMARY KEY,
    next_block  INTEGER NOT NULL,           -- the first block not scanned yet
    updated     REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS pledges (
    pledge_id   TEXT PRIMARY KEY,           -- 0x-hex
    source      INTEGER NOT NULL,           -- source chain id
    destination INTEGER NOT NULL,           -- destination chain id
    bill_id     TEXT NOT NULL,              -- 0x-hex uint256
    expiry      INTEGER NOT NULL,
    status      TEXT NOT NULL,              -- open | confirmed | reclaimed | ignored
    note        TEXT,                       -- why the last pass did not act (refusals, reverts, waiting)
    updated     REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS submissions (
    pledge_id   TEXT NOT NULL,
    action      TEXT NOT NULL,              -- claim | confirm | reclaim
    chain_id    INTEGER NOT NULL,
    attempt     INTEGER NOT NULL,           -- 1, or more after a nonce was taken by another transaction
    status      TEXT NOT NULL,              -- signed | sent | done | failed | stale
    tx_hash     TEXT NOT NULL,
    sender      TEXT NOT NULL,
    nonce       INTEGER NOT NULL,
    raw_tx      BLOB NOT NULL,
    request     TEXT NOT NULL,              -- from, to, data, value, gas of the signed transaction
    block       INTEGER,
    error       TEXT,
    updated     REAL NOT NULL,
    PRIMARY KEY (pledge_id, action)
);
"""

OPEN = "open"
CONFIRMED = "confirmed"
RECLAIMED = "reclaimed"
IGNORED = "ignored"
FINAL_PLEDGE_STATES = frozenset({CONFIRMED, RECLAIMED, IGNORED})

SIGNED = "signed"
SENT = "sent"
DONE = "done"
FAILED = "failed"
STALE = "stale"
"""A journaled transaction whose nonce another transaction took: it can never land, so it may be signed afresh."""


class RelayerJournalError(TradefinError):
    """The relayer journal is unreadable, or holds a second submission for one attestation."""


@dataclass(frozen=True)
class TrackedPledge:
    """A pledge the relayer follows, as journaled."""

    pledge_id: bytes
    source: int
    destination: int
    bill_id: int
    expiry: int
    status: str
    note: str | None


@dataclass(frozen=True)
class Submission:
    """One transaction carrying one attestation, as journaled."""

    pledge_id: bytes
    action: str
    chain_id: int
    attempt: int
    status: str
    tx_hash: str
    nonce: int
    block: int | None
    error: str | None
    signed: SignedTransaction


class RelayerJournal:
    """One SQLite file per relayer."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._db = open_journal(path, SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise RelayerJournalError(f"cannot open relayer journal {path}: {exc}") from None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> RelayerJournal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- cursors --------------------------------------------------------------------------------------------------

    def cursor(self, chain_id: int) -> int | None:
        row = self._db.execute("SELECT next_block FROM cursors WHERE chain_id = ?", (chain_id,)).fetchone()
        return None if row is None else int(row[0])

    def scanned(self, chain_id: int, next_block: int, pledges: list[TrackedPledge]) -> None:
        """Record newly seen pledges and move the cursor past the scanned blocks, in one transaction."""
        now = time.time()
        with self._write() as db:
            for p in pledges:
                _insert_pledge(db, p, now)
            db.execute(
                "INSERT INTO cursors (chain_id, next_block, updated) VALUES (?, ?, ?) "
                "ON CONFLICT(chain_id) DO UPDATE SET next_block = excluded.next_block, updated = excluded.updated",
                (chain_id, next_block, now),
            )

    # -- pledges --------------------------------------------------------------------------------------------------

    def track(self, pledge: TrackedPledge) -> None:
        with self._write() as db:
            _insert_pledge(db, pledge, time.time())

    def pledge(self, pledge_id: bytes) -> TrackedPledge | None:
        row = self._db.execute(
            "SELECT pledge_id, source, destination, bill_id, expiry, status, note FROM pledges WHERE pledge_id = ?",
            (_hex(pledge_id),),
        ).fetchone()
        return None if row is None else _pledge_row(row)

    def pledges(self, status: str | None = None) -> list[TrackedPledge]:
        query = "SELECT pledge_id, source, destination, bill_id, expiry, status, note FROM pledges"
        rows = (
            self._db.execute(query + " ORDER BY rowid")
            if status is None
            else self._db.execute(query + " WHERE status = ? ORDER BY rowid", (status,))
        )
        return [_pledge_row(r) for r in rows.fetchall()]

    def set_pledge(self, pledge_id: bytes, status: str, note: str | None = None) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE pledges SET status = ?, note = ?, updated = ? WHERE pledge_id = ?",
                (status, note, time.time(), _hex(pledge_id)),
            )

    def note(self, pledge_id: bytes, note: str | None) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE pledges SET note = ?, updated = ? WHERE pledge_id = ?", (note, time.time(), _hex(pledge_id))
            )

    # -- submissions ----------------------------------------------------------------------------------------------

    def submission(self, pledge_id: bytes, action: str) -> Submission | None:
        row = self._db.execute(_SUBMISSION_QUERY + " WHERE pledge_id = ? AND action = ?", (_hex(pledge_id), action))
        found = row.fetchone()
        return None if found is None else _submission_row(found)

    def submissions(self, statuses: tuple[str, ...] = ()) -> list[Submission]:
        if statuses:
            marks = ", ".join("?" for _ in statuses)
            rows = self._db.execute(_SUBMISSION_QUERY + f" WHERE status IN ({marks}) ORDER BY rowid", statuses)
        else:
            rows = self._db.execute(_SUBMISSION_QUERY + " ORDER BY rowid")
        return [_submission_row(r) for r in rows.fetchall()]

    def signed(self, pledge_id: bytes, action: str, chain_id: int, tx: SignedTransaction) -> None:
        """Record signed bytes before they are broadcast. A second attestation of one (pledge, action) is refused
        unless the previous one can never land (:meth:`resign`)."""
        try:
            with self._write() as db:
                db.execute(
                    "INSERT INTO submissions (pledge_id, action, chain_id, attempt, status, tx_hash, sender, nonce, "
                    "raw_tx, request, updated) VALUES (?, ?, ?, 1, 'signed', ?, ?, ?, ?, ?, ?)",
                    (
                        _hex(pledge_id),
                        action,
                        chain_id,
                        tx.tx_hash,
                        tx.sender,
                        tx.nonce,
                        tx.raw,
                        json.dumps(tx.request, sort_keys=True),
                        time.time(),
                    ),
                )
        except sqlite3.IntegrityError:
            raise RelayerJournalError(f"{action} of 0x{pledge_id.hex()} was already submitted") from None

    def resign(self, pledge_id: bytes, action: str, tx: SignedTransaction) -> None:
        """Replace a submission whose nonce another transaction took (so it can never land) by new signed bytes."""
        with self._write() as db:
            db.execute(
                "UPDATE submissions SET attempt = attempt + 1, status = 'signed', tx_hash = ?, sender = ?, nonce = ?, "
                "raw_tx = ?, request = ?, block = NULL, error = NULL, updated = ? WHERE pledge_id = ? AND action = ?",
                (
                    tx.tx_hash,
                    tx.sender,
                    tx.nonce,
                    tx.raw,
                    json.dumps(tx.request, sort_keys=True),
                    time.time(),
                    _hex(pledge_id),
                    action,
                ),
            )

    def sent(self, pledge_id: bytes, action: str) -> None:
        self._set(pledge_id, action, status=SENT)

    def done(self, pledge_id: bytes, action: str, block: int | None) -> None:
        """Landed (``block`` None: the attestation took effect through another transaction)."""
        self._set(pledge_id, action, status=DONE, block=block)

    def stale(self, pledge_id: bytes, action: str, error: str) -> None:
        self._set(pledge_id, action, status=STALE, error=error)

    def failed(self, pledge_id: bytes, action: str, error: str, block: int | None = None) -> None:
        self._set(pledge_id, action, status=FAILED, error=error, block=block)

    def _set(self, pledge_id: bytes, action: str, **values: Any) -> None:
        columns = ", ".join(f"{k} = ?" for k in values)
        with self._write() as db:
            db.execute(
                f"UPDATE submissions SET {columns}, updated = ? WHERE pledge_id = ? AND action = ?",  # noqa: S608 - fixed column names
                (*values.values(), time.time(), _hex(pledge_id), action),
            )


_SUBMISSION_QUERY = (
    "SELECT pledge_id, action, chain_id, attempt, status, tx_hash, sender, nonce, raw_tx, request, block, error "
    "FROM submissions"
)


def _hex(value: bytes) -> str:
    return "0x" + value.hex()


def _insert_pledge(db: sqlite3.Connection, p: TrackedPledge, now: float) -> None:
    db.execute(
        "INSERT INTO pledges (pledge_id, source, destination, bill_id, expiry, status, note, updated) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(pledge_id) DO NOTHING",
        (_hex(p.pledge_id), p.source, p.destination, hex(p.bill_id), p.expiry, p.status, p.note, now),
    )


def _pledge_row(row: tuple[Any, ...]) -> TrackedPledge:
    return TrackedPledge(bytes.fromhex(row[0][2:]), row[1], row[2], int(row[3], 16), row[4], row[5], row[6])


def _submission_row(row: tuple[Any, ...]) -> Submission:
    request = json.loads(row[9])
    signed = SignedTransaction(
        tx_hash=row[5], sender=row[6], nonce=row[7], request=request, raw=bytes(row[8]), label=f"TitleBridge.{row[1]}"
    )
    return Submission(
        pledge_id=bytes.fromhex(row[0][2:]),
        action=row[1],
        chain_id=row[2],
        attempt=row[3],
        status=row[4],
        tx_hash=row[5],
        nonce=row[7],
        block=row[10],
        error=row[11],
        signed=signed,
    )
