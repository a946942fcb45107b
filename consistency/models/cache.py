"""On-disk caches for model outputs, so a growing corpus is not recomputed.

The pipeline does not know about caching: the wrappers of
:mod:`consistency.models.cached` take any :class:`~consistency.models.Embedder` /
:class:`~consistency.models.NLIModel` and satisfy the same protocol, so a caller (the
CI gate) passes the wrapped model in its
:class:`~consistency.models.bundle.ModelChoice`.

Keys:
    * embeddings: (sha256 of the exact text given to the model, ``model_id``);
    * NLI: (sha256 of the premise, sha256 of the hypothesis, ``model_id``).

``model_id`` names the model and its version (the built-in models carry the
hash of their weights in it), so changing the model changes every key and old
entries are simply never read again (:meth:`CacheStore.prune` drops them).

Storage is one SQLite file (``cache.sqlite``) in WAL mode with a busy timeout;
writes are ``INSERT OR IGNORE`` in short transactions, so two processes
checking at once neither corrupt the file nor lose each other's entries (both
compute a missing vector, the first insert wins; the values are the same).

:class:`IndexCache` keeps FAISS indexes of a corpus beside it, keyed by the
model id and the set of the corpus sentences' hashes.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from consistency.config import cache_home

CACHE_FILE = "cache.sqlite"
"""The SQLite file inside the cache directory."""


_CHUNK = 500
"""Keys per ``SELECT ... IN (...)`` (well under SQLite's variable limit)."""


_DDL = """
CREATE TABLE IF NOT EXISTS embeddings (
    model_id TEXT NOT NULL,
    text_sha TEXT NOT NULL,
    dim INTEGER NOT NULL,
    vec BLOB NOT NULL,
    PRIMARY KEY (model_id, text_sha)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS nli (
    model_id TEXT NOT NULL,
    premise_sha TEXT NOT NULL,
    hypothesis_sha TEXT NOT NULL,
    probs BLOB NOT NULL,
    PRIMARY KEY (model_id, premise_sha, hypothesis_sha)
) WITHOUT ROWID;
"""


def default_cache_dir() -> Path:
    """``cache_home() / "cache"``: where the CI gate keeps its caches by default."""
    return cache_home() / "cache"


def text_sha(text: str) -> str:
    """sha256 hex of ``text`` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def model_key(model_id: str, name_or_path: str | None = None) -> str:
    """A cache key for a model: its id, plus a fingerprint of its files when local.

    A hub name or the built-in model's id (which carries the weights' hash)
    is used as is. When ``name_or_path`` is a local file or directory, the
    names, sizes and modification times of its files are hashed into the key,
    so retraining a model in place invalidates its cached outputs.
    """
    if not name_or_path:
        return model_id
    p = Path(name_or_path).expanduser()
    if not p.exists():
        return model_id
    files = [p] if p.is_file() else sorted(f for f in p.rglob("*") if f.is_file())
    h = hashlib.sha256()
    for f in files:
        st = f.stat()
        h.update(
            f"{f.relative_to(p) if f != p else f.name}|{st.st_size}|{st.st_mtime_ns}\n".encode()
        )
    return f"{model_id}#files:{h.hexdigest()[:16]}"


class CacheStore:
    """The SQLite file holding cached vectors and NLI probabilities.

    Safe to share between threads (one connection behind a lock) and between
    processes (WAL, busy timeout, idempotent inserts).

    Args:
        directory: the cache directory (created when missing).
        timeout: seconds to wait for another process's write lock.
    """

    def __init__(self, directory: Path | str, *, timeout: float = 60.0) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = self.directory / CACHE_FILE
        self._lock = threading.Lock()
        self.moved_aside: Path | None = None
        """Where a corrupt cache file was moved (None when it was sound)."""
        try:
            self._db = self._open(timeout)
        except sqlite3.DatabaseError as e:
            self.moved_aside = self._move_aside()
            sys.stderr.write(
                f"consistency: warning: {self.path}: not a usable cache ({e}); "
                f"moved to {self.moved_aside.name}, rebuilding\n"
            )
            self._db = self._open(timeout)

    def _open(self, timeout: float) -> sqlite3.Connection:
        db = sqlite3.connect(
            self.path, timeout=timeout, isolation_level=None, check_same_thread=False
        )
        try:
            db.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            for stmt in _DDL.split(";"):
                if stmt.strip():
                    with self._lock:
                        db.execute(stmt)  # IF NOT EXISTS: atomic, safe when racing
            db.execute("SELECT count(*) FROM embeddings LIMIT 1").fetchone()
        except BaseException:
            db.close()
            raise
        return db

    def _move_aside(self) -> Path:
        """Rename the corrupt file (and its WAL side files) to ``cache.sqlite.corrupt-<time>``."""
        stamp = time.strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
        os.replace(self.path, aside)
        for side in ("-wal", "-shm"):
            Path(str(self.path) + side).unlink(missing_ok=True)
        return aside

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> CacheStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals -------------------------------------------------------------

    class _Tx:
        def __init__(self, store: CacheStore) -> None:
            self.store = store

        def __enter__(self) -> sqlite3.Connection:
            self.store._lock.acquire()
            try:
                self.store._db.execute("BEGIN IMMEDIATE")
            except BaseException:
                self.store._lock.release()
                raise
            return self.store._db

        def __exit__(self, exc_type: object, *rest: object) -> None:
            try:
                self.store._db.execute("ROLLBACK" if exc_type else "COMMIT")
            finally:
                self.store._lock.release()

    def _write(self) -> CacheStore._Tx:
        return CacheStore._Tx(self)

    # -- embeddings ------------------------------------------------------------

    def get_vectors(self, model_id: str, shas: Sequence[str]) -> dict[str, np.ndarray]:
        """The cached vectors of ``shas`` under ``model_id`` (missing ones left out)."""
        out: dict[str, np.ndarray] = {}
        sql = (
            "SELECT text_sha, dim, vec FROM embeddings WHERE model_id = ? AND text_sha IN ({marks})"
        )
        for i in range(0, len(shas), _CHUNK):
            chunk = list(shas[i : i + _CHUNK])
            marks = ",".join("?" * len(chunk))
            with self._lock:
                rows = self._db.execute(sql.format(marks=marks), [model_id, *chunk]).fetchall()
            for sha, dim, blob in rows:
                vec = np.frombuffer(blob, dtype=np.float32)
                if vec.shape[0] == dim:
                    out[sha] = vec
        return out

    def put_vectors(self, model_id: str, items: Iterable[tuple[str, np.ndarray]]) -> None:
        """Store ``(sha, vector)`` pairs under ``model_id`` (existing keys are kept)."""
        rows = [
            (model_id, sha, int(v.shape[0]), np.ascontiguousarray(v, np.float32).tobytes())
            for sha, v in items
        ]
        if not rows:
            return
        with self._write() as db:
            db.executemany(
                "INSERT OR IGNORE INTO embeddings(model_id, text_sha, dim, vec) "
                "VALUES (?, ?, ?, ?)",
                rows,
            )

    # -- NLI -------------------------------------------------------------------

    def get_nli(
        self, model_id: str, keys: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], np.ndarray]:
        """Cached NLI probabilities for ``(premise sha, hypothesis sha)`` keys."""
        out: dict[tuple[str, str], np.ndarray] = {}
        wanted = set(keys)
        premises = sorted({p for p, _ in keys})
        sql = (
            "SELECT premise_sha, hypothesis_sha, probs FROM nli "
            "WHERE model_id = ? AND premise_sha IN ({marks})"
        )
        for i in range(0, len(premises), _CHUNK):
            chunk = premises[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            with self._lock:
                rows = self._db.execute(sql.format(marks=marks), [model_id, *chunk]).fetchall()
            for p, h, blob in rows:
                if (p, h) in wanted:
                    out[(p, h)] = np.frombuffer(blob, dtype=np.float32)
        return out

    def put_nli(self, model_id: str, items: Iterable[tuple[tuple[str, str], np.ndarray]]) -> None:
        """Store ``((premise sha, hypothesis sha), probs)`` under ``model_id``."""
        rows = [
            (model_id, p, h, np.ascontiguousarray(v, np.float32).tobytes()) for (p, h), v in items
        ]
        if not rows:
            return
        with self._write() as db:
            db.executemany(
                "INSERT OR IGNORE INTO nli(model_id, premise_sha, hypothesis_sha, probs) "
                "VALUES (?, ?, ?, ?)",
                rows,
            )

    # -- maintenance -----------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Number of stored embeddings and NLI results (all model ids)."""
        with self._lock:
            e = self._db.execute("SELECT count(*) FROM embeddings").fetchone()[0]
            n = self._db.execute("SELECT count(*) FROM nli").fetchone()[0]
        return {"embeddings": int(e), "nli": int(n)}

    def prune(self, keep_model_ids: Iterable[str]) -> int:
        """Delete entries of every model id not in ``keep_model_ids``; returns rows deleted."""
        keep = list(keep_model_ids)
        marks = ",".join("?" * len(keep)) or "''"
        with self._write() as db:
            a = db.execute(f"DELETE FROM embeddings WHERE model_id NOT IN ({marks})", keep)
            b = db.execute(f"DELETE FROM nli WHERE model_id NOT IN ({marks})", keep)
            return int(a.rowcount) + int(b.rowcount)


class IndexCache:
    """FAISS inner-product indexes of a corpus, saved beside the cache and reused.

    An index is keyed by ``model_id`` and the *set* of the sha256 of the
    sentences it holds (in the order given, since FAISS ids are row numbers),
    so adding, removing or editing one corpus sentence, or changing the model,
    gives another key; a stale index is never read.

    Args:
        directory: the cache directory; indexes go under ``directory/faiss``.
    """

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory) / "faiss"
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(model_id: str, sentence_shas: Sequence[str]) -> str:
        """The index's key: sha256 over the model id and the ordered sentence hashes."""
        h = hashlib.sha256(model_id.encode("utf-8"))
        for s in sentence_shas:
            h.update(b"\n" + s.encode("ascii"))
        return h.hexdigest()

    def load_or_build(
        self, model_id: str, sentence_shas: Sequence[str], vectors: np.ndarray
    ) -> tuple[Any, bool]:
        """The flat inner-product index over ``vectors`` (row ``i`` = ``sentence_shas[i]``).

        Returns:
            ``(index, reused)``: ``reused`` is True when it was read from disk.
        """
        import faiss

        key = self.key(model_id, sentence_shas)
        path = self.directory / f"{key}.index"
        if path.is_file():
            try:
                index = faiss.read_index(str(path))
                if index.ntotal == len(sentence_shas) and index.d == vectors.shape[1]:
                    self.hits += 1
                    return index, True
            except RuntimeError:
                pass  # unreadable: rebuild below
        self.misses += 1
        index = faiss.IndexFlatIP(int(vectors.shape[1]))
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{key}.", dir=self.directory)
        os.close(fd)
        try:
            faiss.write_index(index, tmp)
            os.replace(tmp, path)  # atomic: a reader sees the old file or the whole new one
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return index, False
