"""Building and updating an index from files, in committed batches.

Files are tracked by path and content hash: an unchanged file is skipped, a
changed one has its records replaced, never duplicated. Commits happen every
``batch_passages`` passages, so an interrupted run keeps what it committed and
the next run picks up the files it had not finished.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ..corpus.model import Document, Skipped
from ..corpus.walk import find_files, iter_file
from .analysis import AnalysisConfig
from .errors import IndexLocked
from .records import document_records, file_record
from .schema import FILE
from .storage import MANIFEST, create_index, index_exists, open_index

#: ``progress(bytes_done)`` is called as files are read, for a progress bar.
Progress = Callable[[int], None]


@dataclass
class IndexReport:
    """What an indexing run did, for the summary line and ``--json``."""

    documents: int = 0
    passages: int = 0
    files_indexed: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    seconds: float = 0.0


def file_digest(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def total_bytes(files: list[Path]) -> int:
    return sum(_size(path) for path in files)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _known_files(ix) -> dict[str, str]:
    from whoosh.query import Term

    with ix.searcher() as searcher:
        return {fields["path"]: fields["digest"]
                for fields in searcher.search(Term("record", FILE), limit=None)}


def clear_index(index_dir: Path) -> None:
    """Remove an index's files (only those Whoosh and beleidzoek wrote)."""
    index_dir = Path(index_dir)
    if not index_dir.is_dir():
        return
    for entry in index_dir.iterdir():
        if entry.name == MANIFEST or entry.suffix in (".toc", ".seg", ".lock", ".tmp") \
                or entry.name.startswith("_MAIN_") or entry.name.endswith("_LOCK"):
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()


class _BatchWriter:
    """A Whoosh writer that commits every ``batch`` passages and knows what it holds."""

    def __init__(self, ix, batch: int, wait: float):
        self.ix, self.batch, self.wait = ix, batch, wait
        self.pending = 0
        self.uncommitted_ids: set[str] = set()
        self.added_ids: set[str] = set()
        self.writer = self._open()

    def _open(self):
        from whoosh.index import LockError

        try:
            return self.ix.writer(timeout=self.wait, limitmb=256)
        except LockError:
            raise IndexLocked(f"index {self.ix.storage.folder} is being written by another "
                              f"process; try again later or pass --wait SECONDS") from None

    def delete(self, fieldname: str, value: str) -> None:
        self.writer.delete_by_term(fieldname, value)

    def add_document(self, doc: Document, replace: bool) -> None:
        """Add a document, replacing any earlier one with its id (``replace``, or seen this run)."""
        if doc.doc_id in self.uncommitted_ids:  # Whoosh cannot delete what it has not committed
            self.commit()
        if replace or doc.doc_id in self.added_ids:
            self.delete("doc_id", doc.doc_id)
        for record in document_records(doc):
            self.writer.add_document(**record)
        self.uncommitted_ids.add(doc.doc_id)
        self.added_ids.add(doc.doc_id)
        self.pending += len(doc.passages)

    def add(self, record: dict) -> None:
        self.writer.add_document(**record)

    def commit_if_full(self) -> None:
        if self.pending >= self.batch:
            self.commit()

    def commit(self) -> None:
        self.writer.commit()
        self.pending = 0
        self.uncommitted_ids.clear()
        self.writer = self._open()

    def close(self) -> None:
        self.writer.commit()

    def cancel(self) -> None:
        self.writer.cancel()


def index_paths(index_dir: Path, paths: Iterable[str | Path], *, rebuild: bool = False,
                prune: bool = False, config: AnalysisConfig | None = None,
                progress: Progress | None = None, wait: float = 0.0,
                batch_passages: int = 20_000) -> IndexReport:
    """Index files and folders into ``index_dir``, creating it when needed."""
    started = time.perf_counter()
    index_dir = Path(index_dir)
    if rebuild:
        clear_index(index_dir)
    ix = open_index(index_dir) if index_exists(index_dir) else create_index(index_dir, config)
    report = IndexReport()
    known = _known_files(ix)
    fresh = ix.doc_count_all() == 0  # nothing to replace: skip the deletes
    files = list(find_files(paths))
    writer = _BatchWriter(ix, batch_passages, wait)
    try:
        for path in files:
            _index_file(writer, path, known, fresh, report)
            writer.commit_if_full()
            if progress:
                progress(_size(path))
        if prune:
            for path in known:
                if not Path(path).exists():
                    writer.delete("path", path)
                    report.files_removed += 1
        writer.close()
    except BaseException:
        writer.cancel()
        raise
    finally:
        ix.close()
    report.seconds = time.perf_counter() - started
    return report


def _index_file(writer: _BatchWriter, path: Path, known: dict[str, str], fresh: bool,
                report: IndexReport) -> None:
    key = str(path)
    try:
        digest = file_digest(path)
    except OSError as error:
        report.skipped.append(Skipped(key, error.strerror or str(error)))
        return
    if known.get(key) == digest:
        report.files_unchanged += 1
        return
    # Old records go only once the new version yields a document: a file that
    # has become unreadable keeps what was indexed from it.
    replaced = key not in known
    documents = 0
    for item in iter_file(path, notices=report.notices):
        if isinstance(item, Skipped):
            report.skipped.append(item)
            continue
        if not replaced:
            writer.delete("path", key)
            replaced = True
        writer.add_document(item, replace=not fresh)
        documents += 1
        report.documents += 1
        report.passages += len(item.passages)
    if documents:
        report.files_indexed += 1
        writer.add(file_record(key, digest))
