"""The one way tradefin opens its SQLite journals (flows, relayer): durable, shareable between processes."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


def open_journal(path: Path, schema: str) -> sqlite3.Connection:
    """An autocommit connection to ``path`` (created with its folder) in write-ahead-log mode, every commit
    fsynced unless a writer says otherwise, waiting up to 30 s for another process's write; ``schema`` applied; a
    new file is readable by its owner only.
    Raises :class:`sqlite3.DatabaseError` when the file is not a usable database."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Owner-only: a journal holds signed transactions and, in cross-border runs, the seller's unrevealed secret.
        # SQLite gives its -wal and -shm files the database file's permissions.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.executescript(schema)
    except sqlite3.DatabaseError:
        db.close()
        raise
    return db
