"""The run manifest of a batch: an SQLite file in the output folder.

It records, per cluster, the hash of its raw input files and its summary (so an unchanged cluster
needs no reloading for peers and roll-ups), and per document (cluster document or roll-up, language,
format) the key it was rendered from (a hash of everything that shapes it), its path, status,
duration and error. A batch reads it in bulk to decide what is stale, and writes one transaction per
finished task, so a killed batch loses at most the tasks that were running.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from cluster_reports import storage

FILENAME = "manifest.sqlite"
SCHEMA_VERSION = "1"

# Statuses of a document row.
RENDERED = "rendered"
UNAVAILABLE = "not available"  # the cluster lacks the data the kind needs (no plan, ...)
FAILED = "failed"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started REAL NOT NULL,
    finished REAL,
    options TEXT NOT NULL,
    summary TEXT
);
CREATE TABLE IF NOT EXISTS clusters (
    source TEXT PRIMARY KEY,          -- params file, relative to the params folder
    input_hash TEXT NOT NULL,         -- raw bytes of the file, its sidecars and CSVs
    cluster_id TEXT,
    province_slug TEXT,
    summary TEXT,                     -- ClusterSummary JSON for input_hash; NULL when invalid
    status TEXT NOT NULL,             -- ok | failed
    error TEXT,
    duration REAL,
    run_id INTEGER
);
CREATE TABLE IF NOT EXISTS documents (
    subject TEXT NOT NULL,            -- a cluster's source, 'province:<slug>' or 'national'
    kind TEXT NOT NULL,
    lang TEXT NOT NULL,
    fmt TEXT NOT NULL,
    key TEXT,                         -- hash of everything that shapes the document
    path TEXT,                        -- relative to the output folder
    status TEXT NOT NULL,
    duration REAL,
    error TEXT,
    run_id INTEGER,
    PRIMARY KEY (subject, kind, lang, fmt)
);
"""


class ManifestError(RuntimeError):
    pass


@dataclass(frozen=True)
class ClusterRow:
    source: str
    input_hash: str
    cluster_id: str | None
    province_slug: str | None
    summary: dict | None
    status: str
    error: str | None
    duration: float | None
    run_id: int | None


@dataclass(frozen=True)
class DocumentRow:
    subject: str
    kind: str
    lang: str
    fmt: str
    key: str | None
    path: str | None
    status: str
    duration: float | None
    error: str | None
    run_id: int | None


def rollup_subject(province_slug: str | None) -> str:
    return f"province:{province_slug}" if province_slug else "national"


class Manifest:
    """One batch's view of the manifest file; the batch's client is its only writer."""

    def __init__(self, out: Path):
        out.mkdir(parents=True, exist_ok=True)
        self.path = out / FILENAME
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None)  # transactions are explicit
            # WAL: a kill mid-write leaves the last committed transaction intact, readers never block.
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
            version = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        except sqlite3.DatabaseError as exc:
            if storage.kind(exc, self.path) is not None:
                raise  # a read-only or full disk, not a damaged file: the run ends saying so
            raise ManifestError(
                f"{self.path}: not a usable manifest ({exc}); remove it to start afresh"
            ) from exc
        if version is None:
            self.db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        elif version[0] != SCHEMA_VERSION:
            raise ManifestError(
                f"{self.path}: manifest schema {version[0]}, this version writes {SCHEMA_VERSION}; "
                "remove it (the next batch renders everything)"
            )
        self.run_id: int | None = None

    def close(self) -> None:
        self.db.close()

    # Runs -----------------------------------------------------------------------------------

    def last_run_unfinished(self) -> bool:
        row = self.db.execute("SELECT finished FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        return row is not None and row[0] is None

    def start_run(self, options: dict) -> int:
        cur = self.db.execute(
            "INSERT INTO runs (started, options) VALUES (?, ?)", (time.time(), json.dumps(options))
        )
        self.run_id = int(cur.lastrowid)
        return self.run_id

    def finish_run(self, summary: dict) -> None:
        self.db.execute(
            "UPDATE runs SET finished = ?, summary = ? WHERE id = ?",
            (time.time(), json.dumps(summary), self.run_id),
        )

    # Bulk reads -----------------------------------------------------------------------------

    def clusters(self) -> dict[str, ClusterRow]:
        rows = self.db.execute(
            "SELECT source, input_hash, cluster_id, province_slug, summary, status, error, duration, run_id "
            "FROM clusters"
        )
        return {
            r[0]: ClusterRow(r[0], r[1], r[2], r[3], json.loads(r[4]) if r[4] else None, *r[5:]) for r in rows
        }

    def documents(self) -> dict[tuple[str, str, str, str], DocumentRow]:
        rows = self.db.execute(
            "SELECT subject, kind, lang, fmt, key, path, status, duration, error, run_id FROM documents"
        )
        return {(r[0], r[1], r[2], r[3]): DocumentRow(*r) for r in rows}

    # Writes: one transaction each ----------------------------------------------------------

    def record_summaries(self, rows: list[ClusterRow]) -> None:
        """Cache summaries of clusters loaded before rendering (their documents are recorded later)."""
        with self._transaction():
            for row in rows:
                self._put_cluster(row)

    def record_cluster(self, row: ClusterRow, documents: list[DocumentRow]) -> None:
        with self._transaction():
            self._put_cluster(row)
            self._put_documents(documents)

    def record_documents(self, documents: list[DocumentRow]) -> None:
        with self._transaction():
            self._put_documents(documents)

    def forget(self, sources: list[str]) -> None:
        """Drop clusters whose params files are gone (their documents are left on disk)."""
        with self._transaction():
            for source in sources:
                self.db.execute("DELETE FROM clusters WHERE source = ?", (source,))
                self.db.execute("DELETE FROM documents WHERE subject = ?", (source,))

    def _put_cluster(self, row: ClusterRow) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO clusters VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                row.source,
                row.input_hash,
                row.cluster_id,
                row.province_slug,
                json.dumps(row.summary, sort_keys=True) if row.summary is not None else None,
                row.status,
                row.error,
                row.duration,
                row.run_id,
            ),
        )

    def _put_documents(self, documents: list[DocumentRow]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (d.subject, d.kind, d.lang, d.fmt, d.key, d.path, d.status, d.duration, d.error, d.run_id)
                for d in documents
            ],
        )

    def _transaction(self):
        return _Transaction(self.db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.db.execute("COMMIT")
        elif self.db.in_transaction:  # SQLite rolls back itself on some errors (a full disk)
            self.db.execute("ROLLBACK")
        return False
