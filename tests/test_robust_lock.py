"""One writer at a time, readers never blocked: locking, waiting, stale pids and searching during a write."""

import json
import os
import re
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from beleidzoek.index.errors import IndexLocked
from beleidzoek.index.lock import PID_FILE, WriterLock
from beleidzoek.index.storage import WRITE_LOCK, open_index
from beleidzoek.index.writer import index_paths
from beleidzoek.search.cli import cli as beleidzoek
from beleidzoek.search.results import Searcher
from robust_support import SHARED, assert_tidy, blog_files, cli, names, start, stats, wait_until

FILES = blog_files(30)
SEEDS = SHARED / "seeds"


def _writing(index):
    return lambda: PID_FILE in names(index) and (index / "beleidzoek.json").exists()


def _dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                           text=True, check=True)
    return int(child.stdout)


def test_a_second_index_process_fails_at_once_or_waits_its_turn(tmp_path):
    index = tmp_path / "index"
    first = start(index, "index", "--batch-size", "20", *FILES)
    wait_until(first, _writing(index), what="the first writer to start")

    refused = cli(index, "index", *FILES)
    assert refused.returncode == 3, refused.stderr
    assert refused.stderr.strip() == (f"beleidzoek: error: index {index} is being written by another "
                                      f"process (pid {first.pid}): try again later or pass --wait SECONDS")
    assert first.poll() is None, "the first writer finished too soon for this test"
    queued = start(index, "index", "--wait", "120", *FILES)

    assert first.wait(timeout=180) == 0, first.stderr.read()
    out, err = queued.communicate(timeout=180)
    assert queued.returncode == 0, err
    assert re.match(r"indexed 0 documents \(0 passages\) from 0 files, 30 files unchanged", err), err
    data = stats(index)
    assert data["documents"] == data["files"] == 30
    assert_tidy(index)


def test_searches_during_a_write_see_committed_states_and_never_fail(tmp_path):
    index = tmp_path / "index"
    writer = start(index, "index", "--batch-size", "20", *FILES)
    wait_until(writer, _writing(index), what="the index to be created")
    seen, runner = [], CliRunner()
    while writer.poll() is None or not seen:
        with Searcher(index) as searcher:  # opened afresh each time: the racy part is opening
            result = searcher.search("gemeente", limit=3)
            documents = searcher.stats().documents
        assert result.total >= 0 and documents >= (seen[-1] if seen else 0)  # commits only add here
        seen.append(documents)
        command = runner.invoke(beleidzoek, ["--index", str(index), "search", "gemeente", "--json", "-n", "2"])
        assert command.exit_code == 0, command.output
        assert json.loads(command.stdout)["total"] >= 0
    assert writer.returncode == 0, writer.stderr.read()
    assert stats(index)["documents"] == 30
    assert len(set(seen)) >= 3, f"saw too few commits to test anything: {seen}"


def test_lock_held_by_a_live_writer_gives_exit_code_3(tmp_path):
    index = tmp_path / "index"
    with WriterLock(index, WRITE_LOCK).acquire():
        result = CliRunner().invoke(beleidzoek, ["--index", str(index), "index", str(SEEDS)])
        assert result.exit_code == 3
        assert f"(pid {os.getpid()})" in result.output and "Traceback" not in result.output
        started = time.monotonic()
        with pytest.raises(IndexLocked, match=r"still being written .* after waiting 0.3 s"):
            index_paths(index, [SEEDS], wait=0.3)
        assert time.monotonic() - started >= 0.3


def test_plain_whoosh_writers_respect_the_run_lock(tmp_path):
    from whoosh.index import LockError

    index_paths(tmp_path, [SEEDS])
    ix = open_index(tmp_path)
    with WriterLock(tmp_path, WRITE_LOCK).acquire():
        with pytest.raises(LockError):
            ix.writer(timeout=0)
    ix.writer().cancel()  # free again once released


def test_a_dead_writers_pid_and_debris_are_cleared_with_a_notice(tmp_path):
    index_paths(tmp_path, [SEEDS])
    before = stats(tmp_path)
    pid = _dead_pid()
    (tmp_path / PID_FILE).write_text(f"{pid}\n")
    debris = ["MAIN_deadbeef0000000x.trm", "MAIN_deadbeef0000000x._stored.col", "_MAIN_9.toc.1795499975.0457065"]
    for name in debris:
        (tmp_path / name).write_bytes(b"half written")
    (tmp_path / "MAIN.tmp").mkdir()
    (tmp_path / "MAIN.tmp" / "pool.run").write_bytes(b"x")

    report = index_paths(tmp_path, [SEEDS])
    assert report.notices == [f"recovered from an interrupted run by pid {pid}; committed state kept "
                              f"(removed 4 leftover files)"]
    assert report.files_unchanged == 2 and report.files_indexed == 0
    assert stats(tmp_path) == before
    assert_tidy(tmp_path)
    assert index_paths(tmp_path, [SEEDS]).notices == []


def test_opening_survives_a_commit_deleting_the_toc_it_was_about_to_read(tmp_path, monkeypatch):
    """The race a searcher loses when a writer commits between listing and opening the TOC."""
    from whoosh.index import TOC

    index_paths(tmp_path, [SEEDS])
    read, failures = TOC.read.__func__, []

    def vanishing(cls, *args, **kwargs):
        if len(failures) < 3:
            failures.append(1)
            raise FileNotFoundError(2, "No such file or directory", "_MAIN_1.toc")
        return read(cls, *args, **kwargs)

    monkeypatch.setattr(TOC, "read", classmethod(vanishing))
    with Searcher(tmp_path) as searcher:
        assert searcher.search("gemeente").total > 0
    assert len(failures) == 3
