"""The Dutch word-frequency lexicon (wordfreq's "large" list), fast to open.

Compound splitting and acronym detection look words up in it. Indexing looks
up millions of words and wants the whole table in memory; a search looks up a
few hundred (the parts of one long query word) and must not pay for building
a 300,000-word dict -- with wordfreq's import that is about 3 s, most of a
search's time. So the table, accents folded and frequencies of words that fold
together summed, is written once to an SQLite file in the user cache folder
(``$XDG_CACHE_HOME/beleidzoek``, keyed by the wordfreq version), and a
:class:`Lexicon` answers from it word by word, memoised, until it has been
asked so often that loading the whole table is cheaper. Where the cache folder
cannot be written, the table is built in memory as before.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

#: Look-ups answered from the file before the whole table is loaded instead.
LOAD_AFTER_LOOKUPS = 20_000

_lock = threading.Lock()


def cache_file() -> Path:
    from .versions import package_version

    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "beleidzoek" / f"lexicon-nl-wordfreq-{package_version('wordfreq')}.sqlite"


def build_table(fold: Callable[[str], str]) -> dict[str, float]:
    """Folded lower-case Dutch word -> frequency, from wordfreq (the slow path)."""
    import wordfreq

    freqs: dict[str, float] = {}
    get = freqs.get
    for word, f in wordfreq.get_frequency_dict("nl", "large").items():
        if not word.isascii():
            word = fold(word).lower()
        freqs[word] = get(word, 0.0) + f
    return freqs


class Lexicon:
    """Word -> frequency with the ``get`` and ``in`` of a dict."""

    def __init__(self, fold: Callable[[str], str], path: Path | None = None):
        self._fold = fold
        self._table: dict[str, float] | None = None
        self._memo: dict[str, float] = {}
        self._db = None
        self._lookups = 0
        self._path = path or cache_file()
        try:
            self._db = _open(self._path, fold)
        except (OSError, sqlite3.Error):
            self._table = build_table(fold)
        self._pid = os.getpid()

    def get(self, word: str, default: float | None = None) -> float | None:
        table = self._table
        if table is not None:
            return table.get(word, default)
        f = self._memo.get(word)
        if f is None:
            self._lookups += 1
            if self._lookups > LOAD_AFTER_LOOKUPS:
                self._table = self._load()
                return self._table.get(word, default)
            if self._pid != os.getpid():  # a forked worker: SQLite connections do not survive a fork
                self._db, self._pid = _open(self._path, self._fold), os.getpid()
            row = self._db.execute("SELECT f FROM words WHERE w = ?", (word,)).fetchone()
            f = self._memo[word] = row[0] if row else 0.0
        return f if f else default

    def __contains__(self, word: str) -> bool:
        return bool(self.get(word))

    def _load(self) -> dict[str, float]:
        table = dict(self._db.execute("SELECT w, f FROM words"))
        self._db.close()
        self._db = None
        return table


def _open(path: Path, fold: Callable[[str], str]):
    """The lexicon file, written first (atomically) when missing."""
    if not path.exists():
        with _lock:
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                partial = path.with_name(f"{path.name}.{os.getpid()}.part")
                db = sqlite3.connect(partial)
                db.execute("CREATE TABLE words (w TEXT PRIMARY KEY, f REAL) WITHOUT ROWID")
                db.executemany("INSERT INTO words VALUES (?, ?)", build_table(fold).items())
                db.commit()
                db.close()
                os.replace(partial, path)
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    db.execute("SELECT 1 FROM words LIMIT 1")
    return db
