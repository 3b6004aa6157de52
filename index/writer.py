"""Building and updating an index from files, in committed batches, crash-safely.

Files are tracked by absolute path and content hash: an unchanged file is
skipped, a changed one has its records replaced, never duplicated. Commits
happen every ``batch_passages`` passages, and a file's record (path and hash)
is committed together with or after its last passage, so an interrupted run
keeps what it committed and the next run picks up where it stopped: a file
with a committed record is unchanged, any other file is (re)indexed, replacing
whatever part of it an interrupted run had committed.

A whole run holds the index's write lock (:mod:`.lock`). Killed at any moment
(SIGKILL, power loss), it leaves the last committed state, which Whoosh keeps
consistent on disk; the next run removes the debris (:func:`.storage.remove_leftovers`)
and says so. Ctrl-C cancels the open batch and raises
:class:`~.errors.IndexInterrupted`; a failing disk raises :class:`~.errors.IndexWriteError`.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable, Iterable

from ..corpus.model import Skipped
from ..corpus.walk import check_file, find_files, iter_file
from .analysis import AnalysisConfig
from .errors import IndexInterrupted, IndexMissing, IndexWriteError
from .lock import WriterLock
from .records import document_records, file_record
from .schema import FILE
from .storage import WRITE_LOCK, create_index, index_exists, open_index, remove_leftovers

#: ``progress(bytes_done)`` is called as files are read, for a progress bar.
Progress = Callable[[int], None]
#: Passages per commit: what a crash can cost at most, traded against commit overhead.
DEFAULT_BATCH_PASSAGES = 50_000
#: Batch commits do not merge, so that a commit (the moment a crash costs work)
#: stays short. A run's last commit that would leave more than ``MAX_SEGMENTS``
#: merges every segment the run wrote, and older ones up to ``MERGE_FACTOR``
#: times the size of what it merges so far, smallest first (a big build ends as
#: one segment, a small update does not rewrite a big index). Merging only the
#: smallest down to the cap left a 1M build with seven 47k-record segments
#: beside the big one, and every segment costs each query term a lookup: one
#: segment made keyword queries 0.83x and question-length ones 0.75x as dear.
#: Under the cap nothing is merged: at 100k passages, merging its 4 segments
#: made the build 1.35x as long and queries no cheaper.
MAX_SEGMENTS = 8
MERGE_FACTOR = 4
#: Memory for each Whoosh writer's posting pool, in MB.
WRITER_MB = 256
#: Below this much input, forking workers costs more than it saves.
PARALLEL_FROM_BYTES = 4 << 20
#: Lone UTF-16 surrogates (from JSON "\ud800" escapes) cannot be encoded as
#: UTF-8, which Whoosh does with every term: one in a document id stopped the run.
_SURROGATES = re.compile("[\ud800-\udfff]")


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


def file_digest(path: Path) -> str | None:
    """The content hash of a regular file; None for a FIFO, device or folder.

    The file is opened non-blocking and checked after opening, so a FIFO that
    replaced a file since it was found cannot hang the run.
    """
    digest = hashlib.blake2b(digest_size=16)
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with open(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
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


def _clean_text(record: dict) -> dict:
    """The record with lone surrogates replaced by U+FFFD (see ``_SURROGATES``)."""
    return {name: _SURROGATES.sub("\ufffd", value) if isinstance(value, str) else value
            for name, value in record.items()}


def _merge_tiered(writer, segments: list, new: list, earlier: set[str]) -> list:
    """Whoosh merge policy for a run's last commit (see ``MAX_SEGMENTS``): ``new``
    are the segments this commit's workers wrote, ``segments`` the index's others,
    ``earlier`` the ids of those the index had before the run; returns those left unmerged.

    Segments are merged in index order, so the merged documents keep their
    order, and equal scores (ranked by docnum) the order they had unmerged.
    A segment with deletions is merged only to keep to ``MAX_SEGMENTS``: merging
    one sends every posting of the merge through Whoosh's slow path (see
    :mod:`.segment_writer`), and loses the block layout queries are fast on.
    """
    from whoosh.reading import SegmentReader

    in_index_order = [*segments, *new]
    if len(in_index_order) + bool(writer.docnum) <= MAX_SEGMENTS:
        return in_index_order
    ordered = sorted(in_index_order, key=lambda segment: segment.doc_count())
    merge = [segment for segment in ordered if segment.segment_id() not in earlier
             and not segment.has_deletions()]
    keep = [segment for segment in ordered if segment not in merge]
    merged_docs = writer.docnum + sum(segment.doc_count() for segment in merge)
    for segment in [segment for segment in keep if not segment.has_deletions()]:
        if segment.doc_count() > MERGE_FACTOR * merged_docs:
            break
        merged_docs += segment.doc_count()
        merge.append(segment)
    keep = [segment for segment in keep if segment not in merge]
    while len(keep) >= MAX_SEGMENTS:
        merge.append(keep.pop(0))
    for segment in [segment for segment in in_index_order if segment in merge]:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in in_index_order if segment in keep]


class _BatchWriter:
    """Whoosh writers opened when there is something to write, committed every ``batch`` passages.

    The caller holds the run's :class:`~.lock.WriterLock`, so the Whoosh
    writers are opened without locking again (``_lk=False``).
    """

    def __init__(self, ix, batch: int, procs: int = 1):
        self.ix, self.batch = ix, max(1, batch)
        self.writer = None
        self.pending = 0
        self.pending_files = 0
        #: Files whose record this run has committed, and the commits so far.
        self.committed_files = self.commits = 0
        self.uncommitted_ids: set[str] = set()
        self.added_ids: set[str] = set()
        #: The segments the index had before this run: above the cap, the last
        #: commit merges all the others (see ``MAX_SEGMENTS``).
        self.earlier_segments = {segment.segment_id() for segment in ix._segments()}
        self.workers = None
        if procs > 1:
            from .segment_workers import SegmentWorkers

            self.workers = SegmentWorkers(ix, procs, WRITER_MB)

    def _add(self, record: dict) -> None:
        writer = self._writer()  # opened in any case: it commits the workers' segments
        if self.workers is None:
            writer.add_document(**record)
        else:
            self.workers.submit(record)

    def _open(self):
        from .codec import WritingCodec
        from .segment_writer import BlockSegmentWriter

        return BlockSegmentWriter(self.ix, _lk=False, limitmb=WRITER_MB, codec=WritingCodec())

    def _writer(self):
        if self.writer is None:
            self.writer = self._open()
        return self.writer

    def delete(self, fieldname: str, value: str) -> None:
        self._writer().delete_by_term(fieldname, value)

    def add_document(self, doc_id: str, records: list[dict], passages: int, replace: bool) -> None:
        """Add a document's records, replacing any earlier document with its id
        (``replace``, or when this run added it before).

        A full batch is committed first, so a batch ends after a file's record
        unless one file fills a batch by itself (a big JSON Lines file).
        """
        # Whoosh cannot delete what it has not committed, hence the commit for a repeated id.
        if self.pending >= self.batch or doc_id in self.uncommitted_ids:
            self.commit()
        if replace or doc_id in self.added_ids:
            self.delete("doc_id", doc_id)
        for record in records:
            self._add(record)
        self.uncommitted_ids.add(doc_id)
        self.added_ids.add(doc_id)
        self.pending += passages

    def add_file(self, record: dict) -> None:
        self._add(record)
        self.pending_files += 1

    def commit(self, last: bool = False) -> None:
        """Commit what is pending; the ``last`` commit of a run that wrote
        anything also merges small segments. A run that changed nothing
        writes nothing."""
        if self.writer is None and not (last and self.commits):
            return
        segments = self.workers.finish() if self.workers is not None else []
        if last:
            merge = partial(_merge_tiered, new=segments, earlier=self.earlier_segments)
            self._writer().commit_with([], mergetype=merge)
        else:
            self.writer.commit_with(segments)
        self.writer = None
        self.commits += 1
        self.committed_files += self.pending_files
        self.pending = self.pending_files = 0
        self.uncommitted_ids.clear()

    def close(self, cancel: bool = False) -> None:
        """Stop the worker processes."""
        workers, self.workers = self.workers, None
        if workers is not None:
            workers.close(cancel)

    def cancel(self) -> None:
        """Drop the open batch; best effort, since this runs while handling another error."""
        self.close(cancel=True)
        writer, self.writer = self.writer, None
        if writer is not None:
            try:
                writer.cancel()
            except Exception:
                pass


def index_paths(index_dir: Path, paths: Iterable[str | Path], *, rebuild: bool = False,
                prune: bool = False, config: AnalysisConfig | None = None,
                progress: Progress | None = None, wait: float = 0.0,
                batch_passages: int = DEFAULT_BATCH_PASSAGES,
                procs: int | None = None, optimize: bool = False) -> IndexReport:
    """Index files and folders into ``index_dir``, creating it when needed.

    ``wait``: seconds to wait for another process writing the index before
    raising :class:`~.errors.IndexLocked`. ``rebuild`` starts from an empty
    index (switched to atomically: readers see the old index or the new one
    filling up, never a broken one); ``prune`` forgets files that no longer
    exist. Raises :class:`~.errors.IndexInterrupted` on Ctrl-C and
    :class:`~.errors.IndexWriteError` when the index cannot be written (a
    full disk); both keep everything committed so far. ``procs``: worker
    processes (default: one per core when there are more than
    ``PARALLEL_FROM_BYTES`` to read, else none). ``optimize`` merges the
    index into one segment at the end (searches open and run a little faster).
    """
    started = time.perf_counter()
    index_dir = Path(index_dir)
    report = IndexReport()
    files = list(find_files(paths))
    if procs is None:
        procs = (os.cpu_count() or 1) if total_bytes(files) >= PARALLEL_FROM_BYTES else 1
    try:
        with WriterLock(index_dir, WRITE_LOCK).acquire(wait) as lock:
            ix = _open_for_writing(index_dir, config, rebuild)
            try:
                _recover(ix, lock, report)
                _write(ix, files, report, prune=prune, batch=batch_passages, procs=procs,
                       progress=progress)
                if optimize:
                    _optimize(ix)
            finally:
                ix.close()
    except OSError as error:  # the folder cannot be locked, created or read
        raise IndexWriteError(_write_failure(index_dir, error)) from None
    report.seconds = time.perf_counter() - started
    return report


def _write(ix, files: list[Path], report: IndexReport, *, prune: bool, batch: int, procs: int,
           progress: Progress | None) -> None:
    """The batches of one run; a failure cancels the open batch and keeps what was committed."""
    known = _known_files(ix)
    fresh = ix.doc_count_all() == 0  # nothing to replace: skip the deletes
    writer = _BatchWriter(ix, batch, procs)
    try:
        for path in files:
            _index_file(writer, path, known, fresh, report)
            if progress:
                progress(_size(path))
        if prune:
            _prune(writer, known, report)
        writer.commit(last=True)
        writer.close()
    except BaseException as error:
        writer.cancel()
        _tidy(ix)
        if isinstance(error, KeyboardInterrupt):
            raise IndexInterrupted(writer.committed_files) from None
        if isinstance(error, OSError):
            folder = Path(ix.storage.folder)
            raise IndexWriteError(_write_failure(folder, error, writer.committed_files)) from None
        raise


def _optimize(ix) -> None:
    """Merge all segments into one; segments without deletions are copied block by block."""
    from .codec import WritingCodec
    from .segment_writer import BlockSegmentWriter

    if len(ix._segments()) > 1:
        BlockSegmentWriter(ix, _lk=False, limitmb=WRITER_MB, codec=WritingCodec()).commit(optimize=True)


def _open_for_writing(index_dir: Path, config: AnalysisConfig | None, rebuild: bool):
    """The index to write, created empty for ``rebuild``, a new folder, or a
    manifest without any committed TOC (a crash before the first commit)."""
    if rebuild or not index_exists(index_dir):
        return create_index(index_dir, config)
    try:
        return open_index(index_dir)
    except IndexMissing:
        return create_index(index_dir, config)


def _recover(ix, lock: WriterLock, report: IndexReport) -> None:
    """Clear what an interrupted run left and tell the user it happened."""
    removed = remove_leftovers(ix)
    debris = f" (removed {removed} leftover file{'' if removed == 1 else 's'})" if removed else ""
    if lock.interrupted_pid is not None:
        by = f" by pid {lock.interrupted_pid}" if lock.interrupted_pid else ""
        report.notices.append(f"recovered from an interrupted run{by}; committed state kept{debris}")
    elif removed:
        report.notices.append(f"removed {removed} file{'' if removed == 1 else 's'} "
                              f"left by an interrupted run")


def _tidy(ix) -> None:
    """Delete the files of a cancelled batch now rather than at the next run
    (after a full disk, that frees the space); best effort."""
    try:
        remove_leftovers(ix)
    except Exception:
        pass


def _write_failure(index_dir: Path, error: OSError, committed: int | None = None) -> str:
    reason = error.strerror or str(error)
    where = f" ({error.filename})" if error.filename else ""
    if committed is None:
        return f"cannot write the index at {index_dir}: {reason}{where}"
    return (f"cannot write the index at {index_dir}: {reason}{where}; kept {committed} "
            f"committed file{'' if committed == 1 else 's'}: fix the problem and run again to resume")


def _digest(path: Path) -> tuple[str, None] | tuple[None, str]:
    """(content hash, None) for a readable file, else (None, why not)."""
    problem = check_file(path)
    if problem:
        return None, problem
    try:
        digest = file_digest(path)
    except OSError as error:
        return None, (error.strerror or str(error)).lower()
    return (digest, None) if digest else (None, "not a regular file")


def _prune(writer: _BatchWriter, known: dict[str, str], report: IndexReport) -> None:
    for path in known:
        if not os.path.exists(path):
            writer.delete("path", path)
            report.files_removed += 1


def _index_file(writer: _BatchWriter, path: Path, known: dict[str, str], fresh: bool,
                report: IndexReport) -> None:
    # The key is the absolute, symlink-free path, so the same file indexed from
    # another folder or through a link is recognised; documents are read (and
    # problems reported) under the path as found, whose folders give the kind.
    key = os.path.realpath(path)
    digest, problem = _digest(path)
    if problem:
        report.skipped.append(Skipped(str(path), problem))
        return
    if known.get(key) == digest:
        report.files_unchanged += 1
        return
    # Old records go only once the new version yields a document: a file that
    # has become unreadable keeps what was indexed from it. In an index that
    # had content, records under this path may exist even without a file
    # record: the part of a big file an interrupted run committed.
    replaced = fresh
    documents = 0
    for item in iter_file(path, notices=report.notices):
        if isinstance(item, Skipped):
            report.skipped.append(item)
            continue
        item.path = key
        try:
            records = [_clean_text(record) for record in document_records(item)]
        except (ValueError, TypeError, RecursionError) as error:  # e.g. metadata nested too deep to store
            report.skipped.append(Skipped(str(path), f"document {item.doc_id!r} cannot be stored "
                                                     f"({type(error).__name__}: {error})"))
            continue
        if not replaced:
            writer.delete("path", key)
            replaced = True
        writer.add_document(item.doc_id, records, len(item.passages), replace=not fresh)
        documents += 1
        report.documents += 1
        report.passages += len(item.passages)
    if documents:
        report.files_indexed += 1
        writer.add_file(file_record(key, digest))
