"""Helpers for the robustness tests: the real CLI in subprocesses, and looking into an index folder.

The crash and lock tests must run ``beleidzoek index`` as its own process (to
kill it, or to race two of them); everything else runs in-process.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
CLI = [sys.executable, "-m", "beleidzoek.search.cli"]
#: Files of a segment: ``MAIN_<id>.seg`` once committed, ``MAIN_<id>.trm`` etc. while written.
SEGMENT_FILE = re.compile(r"^MAIN_([0-9a-z]+)\.")
TOC_FILE = re.compile(r"^_MAIN_(\d+)\.toc$")


def blog_files(count: int) -> list[Path]:
    """The first ``count`` blog posts of the shared corpus (sorted, so every run picks the same)."""
    folder = CORPUS / "blogs"
    assert folder.is_dir(), f"test data missing: {folder}"
    return sorted(folder.glob("*.txt"))[:count]


def environment() -> dict:
    env = {key: value for key, value in os.environ.items() if key not in ("BELEIDZOEK_INDEX", "BELEIDZOEK_DEBUG")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def cli(index: Path, *args, timeout: float = 180) -> subprocess.CompletedProcess:
    """``beleidzoek --index INDEX ARGS`` in a subprocess, to completion."""
    return subprocess.run(CLI + ["--index", str(index)] + [str(a) for a in args], capture_output=True,
                          text=True, timeout=timeout, env=environment())


def _interruptible() -> None:
    """Ctrl-C's default in the child, as under a terminal. A test run started
    as a background job of a shell without job control (``(pytest &)``, some
    CI runners) ignores SIGINT, its children inherit that, and Python then
    never raises KeyboardInterrupt: the Ctrl-C test would see a run that
    cannot be interrupted."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(index: Path, *args, command: list[str] | None = None) -> subprocess.Popen:
    """``beleidzoek --index INDEX ARGS`` started in the background (``command`` replaces the CLI)."""
    return subprocess.Popen((command or CLI) + ["--index", str(index)] + [str(a) for a in args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment(),
                            preexec_fn=_interruptible)


def wait_until(proc: subprocess.Popen, condition, timeout: float = 180, what: str = "condition") -> None:
    """Poll ``condition()`` every few milliseconds while ``proc`` runs."""
    deadline = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            out, err = proc.communicate()
            raise AssertionError(f"process ended (exit {proc.returncode}) before {what}:\n{err}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.003)


def names(index: Path) -> list[str]:
    try:
        return sorted(os.listdir(index))
    except FileNotFoundError:
        return []


def generations(index: Path) -> list[int]:
    return sorted(int(m[1]) for name in names(index) if (m := TOC_FILE.match(name)))


def has_generation(index: Path, generation: int) -> bool:
    return any(g >= generation for g in generations(index))


def segment_ids(index: Path) -> set[str]:
    return {m[1] for name in names(index) if (m := SEGMENT_FILE.match(name))}


def committed_segment_ids(index: Path) -> set[str]:
    """Segments the newest TOC references."""
    from beleidzoek.index.storage import open_index

    ix = open_index(index)
    try:
        return {segment.segment_id().split("_", 1)[1] for segment in ix._segments()}
    finally:
        ix.close()


def stats(index: Path) -> dict:
    """``stats --json`` without the parts that differ between equal indexes (folder, bytes)."""
    from beleidzoek.search.results import Searcher

    with Searcher(index) as searcher:
        data = searcher.stats().to_json()
    data.pop("index_dir"), data.pop("size_bytes")
    return data


def assert_tidy(index: Path) -> None:
    """Only the committed state is on disk: one TOC, its segments, the manifest and the lock file."""
    listing = names(index)
    assert len(generations(index)) == 1, listing
    assert segment_ids(index) == committed_segment_ids(index), listing
    assert all(name.endswith(".seg") for name in listing if SEGMENT_FILE.match(name)), listing
    assert not {"writer.pid", "MAIN.tmp", "beleidzoek.json.tmp"} & set(listing), listing


class Deadline(Exception):
    """A block took too long (not a ``TimeoutError``: that is an ``OSError``, which the writer reports)."""


@contextmanager
def deadline(seconds: float):
    """Raise :class:`Deadline` in the block after ``seconds`` (a hang must fail the test, not CI)."""
    def expire(signum, frame):
        raise Deadline(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
