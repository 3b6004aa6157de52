"""A killed or interrupted ``beleidzoek index`` keeps the last commit, and the next run recovers.

Each scenario indexes the same shared-corpus files with small batches (many
commits), stops the run at one moment, checks that ``search`` works on what was
committed, runs the same command again and compares ``stats`` with an
uninterrupted run. The moments are found from outside, by watching the index
folder (the N-th TOC generation, a segment being written); the merge moment
uses a test-only wrapper that reports when Whoosh starts merging segments.
"""

import re
import signal
import sys

import pytest

from robust_support import (assert_tidy, blog_files, cli, has_generation, names, segment_ids, start,
                            stats, wait_until)

FILES = blog_files(30)
#: Small batches give about ten commits, so the last commit also merges segments.
BATCH = ["--batch-size", "20"]


def _harness(patch: str) -> list[str]:
    """A command that runs the CLI (arguments after the first) with ``patch`` applied first."""
    return [sys.executable, "-c", f"""
import sys, time
from pathlib import Path
{patch}
from beleidzoek.search.cli import main
main(sys.argv[2:])
"""]


#: Touches MARKER with a count each time Whoosh merges a segment into the new
#: one, and pauses there, so the test can kill it mid-merge.
MERGE_HARNESS = _harness("""
from beleidzoek.index.segment_writer import BlockSegmentWriter

marker, merged = Path(sys.argv[1]), []
add_reader = BlockSegmentWriter.add_reader

def reporting_add_reader(self, reader):
    merged.append(reader)
    marker.write_text(str(len(merged)))
    time.sleep(0.3)
    return add_reader(self, reader)

BlockSegmentWriter.add_reader = reporting_add_reader
""")
#: Pauses after each commit, so a signal sent after one lands while the run
#: still has batches to go, however busy the machine (the first argument is unused).
SLOW_COMMITS_HARNESS = _harness("""
from beleidzoek.index.writer import _BatchWriter

commit = _BatchWriter.commit

def slow_commit(self, last=False):
    commit(self, last)
    time.sleep(0.3)

_BatchWriter.commit = slow_commit
""")


@pytest.fixture(scope="module")
def expected(tmp_path_factory) -> dict:
    """``stats`` after an uninterrupted run over the same files with the same batches."""
    index = tmp_path_factory.mktemp("uninterrupted")
    result = cli(index, "index", *BATCH, *FILES)
    assert result.returncode == 0, result.stderr
    data = stats(index)
    assert data["documents"] == len(FILES) and data["passages"] >= 10 * 20
    return data


def _first_segment_started(index):
    return "writer.pid" in names(index) and bool(segment_ids(index)) and not has_generation(index, 1)


def _merging(marker):
    return lambda: marker.exists() and marker.read_text() == "2"


@pytest.mark.parametrize("moment", ["before the first commit", "between batches", "during the merge"])
def test_sigkill_keeps_the_last_commit_and_a_rerun_completes(tmp_path, expected, moment):
    index = tmp_path / "index"
    if moment == "during the merge":
        marker = tmp_path / "merging"
        proc = start(index, "index", *BATCH, *FILES, command=MERGE_HARNESS + [str(marker)])
        wait_until(proc, _merging(marker), what="the second segment merge")
    elif moment == "between batches":
        proc = start(index, "index", *BATCH, *FILES)
        wait_until(proc, lambda: has_generation(index, 3), what="the third commit")
    else:
        proc = start(index, "index", *BATCH, *FILES)
        wait_until(proc, lambda: _first_segment_started(index), what="the first segment")
    proc.kill()
    proc.wait(timeout=30)
    debris = set(names(index))

    # The committed state is searchable, and it is all or nothing per commit.
    committed = stats(index)
    if moment == "before the first commit":
        assert committed["documents"] == committed["passages"] == committed["files"] == 0
    else:
        assert 0 < committed["documents"] < expected["documents"]
        assert committed["files"] <= committed["documents"]
    found = cli(index, "search", "gemeente", "--json")
    assert found.returncode == 0, found.stderr
    assert "Traceback" not in found.stderr

    # The next run notices, clears the debris and finishes the job.
    rerun = cli(index, "index", *BATCH, *FILES)
    assert rerun.returncode == 0, rerun.stderr
    assert f"recovered from an interrupted run by pid {proc.pid}; committed state kept" in rerun.stderr
    assert debris - set(names(index)), "the killed run left nothing to clean up?"
    assert stats(index) == expected
    assert_tidy(index)


def test_ctrl_c_cancels_the_batch_and_says_how_to_resume(tmp_path, expected):
    index = tmp_path / "index"
    proc = start(index, "index", *BATCH, *FILES, command=SLOW_COMMITS_HARNESS + ["-"])
    wait_until(proc, lambda: has_generation(index, 2), what="the second commit")
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert re.fullmatch(r"beleidzoek: interrupted: kept [1-9]\d* committed files?; run again to resume",
                        lines[0]), lines
    assert_tidy(index)  # cancelled cleanly: nothing for the next run to recover

    rerun = cli(index, "index", *BATCH, *FILES)
    assert rerun.returncode == 0, rerun.stderr
    assert "recovered" not in rerun.stderr and "interrupted" not in rerun.stderr
    assert stats(index) == expected

