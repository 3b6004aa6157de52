"""Worker processes that each write a segment of the open batch.

Analysis and posting writing are nearly all of an index build's CPU and
depend on nothing but the records, so each worker takes every n-th chunk of
records and writes it into a segment of its own with a
:class:`~.segment_writer.BlockSegmentWriter`; at a commit the workers finish
their segments and the run's own writer commits them together with its
deletions, in one table of contents. The writing process only reads files
and hands out records. A worker's failure comes back as its exception.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from itertools import cycle

from .codec import WritingCodec
from .segment_writer import BlockSegmentWriter

#: Records sent to a worker at a time: big enough that the pickling round trip is small.
CHUNK_RECORDS = 200


def _serve(folder: str, indexname: str, limitmb: int, connection) -> None:
    """A worker's loop: ``("add", records)``, ``("finish",)`` -> segment or None, ``("stop",)``."""
    from whoosh.filedb.filestore import FileStorage

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the writing process's to handle
    storage = FileStorage(folder)
    writer, failure = None, None
    while True:
        command, *payload = connection.recv()
        if command == "stop":
            return
        if command == "add" and failure is None:
            try:
                if writer is None:
                    ix = storage.open_index(indexname)
                    writer = BlockSegmentWriter(ix, _lk=False, limitmb=limitmb, codec=WritingCodec())
                for record in payload[0]:
                    writer.add_document(**record)
            except BaseException as error:  # reported at the commit, which then fails
                failure = error
        elif command == "finish":
            if failure is not None:
                connection.send(("error", failure))
            elif writer is None:
                connection.send(("segment", None))
            else:
                try:  # not writer._finish(): the temporary folder is shared with the other writers
                    connection.send(("segment", writer._finalize_segment()))
                except BaseException as error:
                    connection.send(("error", error))
            writer, failure = None, None


def _context():
    return multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)


class SegmentWorkers:
    """``procs`` worker processes writing segments of one index (see module docstring)."""

    def __init__(self, ix, procs: int, limitmb: int):
        context = _context()
        self._connections, self._processes = [], []
        for _ in range(procs):
            mine, theirs = context.Pipe()
            process = context.Process(target=_serve, daemon=True,
                                      args=(os.fspath(ix.storage.folder), ix.indexname, limitmb, theirs))
            process.start()
            theirs.close()
            self._connections.append(mine)
            self._processes.append(process)
        self._next = cycle(self._connections)
        self._pending: list[dict] = []

    def submit(self, record: dict) -> None:
        self._pending.append(record)
        if len(self._pending) >= CHUNK_RECORDS:
            self._send()

    def finish(self) -> list:
        """The segments written since the last call (a worker's failure is raised here)."""
        if self._pending:
            self._send()
        for connection in self._connections:
            connection.send(("finish",))
        replies = [connection.recv() for connection in self._connections]
        for kind, value in replies:
            if kind == "error":
                raise value
        return [value for _, value in replies if value is not None]

    def close(self, cancel: bool = False) -> None:
        for connection, process in zip(self._connections, self._processes):
            if cancel:
                process.terminate()
            else:
                connection.send(("stop",))
            process.join()
            connection.close()

    def _send(self) -> None:
        chunk, self._pending = self._pending, []
        next(self._next).send(("add", chunk))
