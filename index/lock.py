"""One writer per index: the lock a whole indexing run holds, and the pid it leaves.

Whoosh locks per writer and releases the lock at every commit, so a run that
commits in batches would let a second process in between two batches. The run
therefore takes Whoosh's own write lock once, for its whole duration (and
opens its Whoosh writers with ``_lk=False``); plain Whoosh writers on the same
folder still respect it. The lock is an ``flock``, which the kernel releases
when the process dies, so a crashed run never leaves a lock that blocks.

Next to it the run writes ``writer.pid``, removed when it ends. Finding that
file while holding the lock means the previous writer died without cleaning
up: the caller says so, and tells a waiting process whom it waits for.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import IndexLocked

PID_FILE = "writer.pid"


class WriterLock:
    """The exclusive right to write ``index_dir``, held from ``acquire`` to ``release``."""

    def __init__(self, index_dir: Path, lock_name: str):
        self.index_dir = Path(index_dir)
        self._lock_path = self.index_dir / lock_name
        self._lock = None
        #: The pid recorded by an earlier writer that died holding the lock, if any.
        self.interrupted_pid: int | None = None

    def acquire(self, wait: float = 0.0) -> "WriterLock":
        """Take the lock, waiting up to ``wait`` seconds; raises :class:`IndexLocked`.

        Returns the lock, for ``with WriterLock(...).acquire(wait):``.
        """
        from whoosh.util.filelock import FileLock, try_for

        self.index_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self._lock_path))
        if not try_for(lock.acquire, timeout=wait, delay=0.05):
            holder = self._recorded_pid()
            by = f" (pid {holder})" if holder else ""
            if wait:
                raise IndexLocked(f"index {self.index_dir} is still being written by another "
                                  f"process{by} after waiting {wait:g} s: try again later or "
                                  f"pass a longer --wait")
            raise IndexLocked(f"index {self.index_dir} is being written by another process{by}: "
                              f"try again later or pass --wait SECONDS")
        self._lock = lock
        pid_path = self.index_dir / PID_FILE
        if pid_path.exists():
            self.interrupted_pid = self._recorded_pid() or 0
        try:  # informational only: a full disk must fail the index write, not this
            pid_path.write_text(f"{os.getpid()}\n", encoding="ascii")
        except OSError:
            pass
        return self

    def release(self) -> None:
        """Remove the pid file and let go of the lock (safe to call twice)."""
        if self._lock is None:
            return
        try:
            (self.index_dir / PID_FILE).unlink(missing_ok=True)
        finally:
            self._lock.release()
            self._lock = None

    def _recorded_pid(self) -> int | None:
        try:
            return int((self.index_dir / PID_FILE).read_text(encoding="ascii").split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def __enter__(self) -> "WriterLock":
        return self

    def __exit__(self, *exc) -> None:
        self.release()
