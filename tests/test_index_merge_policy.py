"""A run's last commit: a fresh build ends as one segment, an update leaves big segments alone."""

import shutil

import pytest

from beleidzoek.index import writer as index_writer
from beleidzoek.index.storage import open_index
from beleidzoek.index.writer import index_paths
from beleidzoek.search import Searcher


def _segments(index_dir) -> dict[str, int]:
    """Segment id -> live documents."""
    return {segment.segment_id(): segment.doc_count() for segment in open_index(index_dir)._segments()}


def _passages(index_dir) -> int:
    with Searcher(index_dir) as searcher:
        return searcher.stats().passages


@pytest.fixture
def questions(tmp_path, corpus_dir):
    """A folder of 60 Kamervragen, and one more to add later."""
    folder = tmp_path / "docs"
    folder.mkdir()
    files = sorted((corpus_dir / "kamervragen").glob("*.txt"))
    for path in files[:60]:
        shutil.copy(path, folder)
    return folder, files[60]


@pytest.mark.parametrize("procs", [1, 2], ids=["serial", "workers"])
def test_a_fresh_build_in_more_batches_than_the_cap_ends_as_one_segment(tmp_path, questions, procs):
    folder, _ = questions
    index_paths(tmp_path / "ix", [folder], procs=procs, batch_passages=100)
    assert len(_segments(tmp_path / "ix")) == 1
    index_paths(tmp_path / "one-batch", [folder], procs=1)
    assert _passages(tmp_path / "ix") == _passages(tmp_path / "one-batch")


def test_a_run_that_stays_under_the_cap_merges_nothing(tmp_path, questions):
    folder, _ = questions
    index_paths(tmp_path / "ix", [folder], procs=1, batch_passages=300)
    count = len(_segments(tmp_path / "ix"))
    assert 1 < count <= index_writer.MAX_SEGMENTS


def test_adding_a_file_leaves_the_big_segment_alone_and_merges_the_small_ones(tmp_path, questions,
                                                                               monkeypatch):
    folder, extra = questions
    monkeypatch.setattr(index_writer, "MAX_SEGMENTS", 2)
    index_paths(tmp_path / "ix", [folder], procs=1)
    (big,) = _segments(tmp_path / "ix")
    shutil.copy(extra, folder)
    index_paths(tmp_path / "ix", [folder], procs=1)
    after_one = _segments(tmp_path / "ix")
    assert len(after_one) == 2 and big in after_one
    for path in sorted(folder.glob("*.txt"))[:2]:  # changed files: their passages replaced
        path.write_text(path.read_text(encoding="utf-8") + "\nNog een zin.\n", encoding="utf-8")
        index_paths(tmp_path / "ix", [folder], procs=1)
    after_three = _segments(tmp_path / "ix")
    assert len(after_three) == 2 and big in after_three
    assert after_three[big] < after_one[big]  # the replaced passages are deleted from it


def test_a_run_that_only_forgets_files_rewrites_no_segment(tmp_path, questions):
    folder, _ = questions
    index_paths(tmp_path / "ix", [folder], procs=1)
    before = _segments(tmp_path / "ix")
    sorted(folder.glob("*.txt"))[0].unlink()
    index_paths(tmp_path / "ix", [folder], procs=1, prune=True)
    after = _segments(tmp_path / "ix")
    assert after.keys() == before.keys()
    assert sum(after.values()) < sum(before.values())


def test_no_run_leaves_more_than_max_segments(tmp_path, questions, monkeypatch):
    folder, extra = questions
    monkeypatch.setattr(index_writer, "MERGE_FACTOR", 0)  # only the cap merges earlier segments
    monkeypatch.setattr(index_writer, "MAX_SEGMENTS", 3)
    index_paths(tmp_path / "ix", [folder], procs=1)
    for path in sorted(folder.glob("*.txt"))[:4]:
        path.write_text(path.read_text(encoding="utf-8") + "\nNog een zin.\n", encoding="utf-8")
        index_paths(tmp_path / "ix", [folder], procs=1)
        assert len(_segments(tmp_path / "ix")) <= 3
    assert len(_segments(tmp_path / "ix")) == 3


def test_a_segment_with_deletions_is_left_out_of_the_merge(tmp_path, questions, seeds_dir):
    """The seeds repeat a Kamervraag of the corpus: its first passages are deleted
    when the second copy comes, and merging them would take Whoosh's slow path."""
    folder, _ = questions
    index_paths(tmp_path / "ix", [seeds_dir, folder], procs=1, batch_passages=100)
    segments = open_index(tmp_path / "ix")._segments()
    assert sorted(segment.has_deletions() for segment in segments) == [False, True]


def test_a_merged_build_ranks_as_the_unmerged_one_equal_scores_included(tmp_path, questions, monkeypatch):
    """A merge keeps the documents' order and the exact field-length totals, so
    scores and the order of equal ones are those of the unmerged segments."""
    folder, _ = questions
    queries = ["informatiebeveiliging gemeenten", "privacy", "minister", "de vragen van het lid"]

    def ranked(index_dir):
        with Searcher(index_dir) as searcher:
            return [[(hit.passage_id, hit.score) for hit in searcher.search(query, limit=50).hits]
                    for query in queries]

    index_paths(tmp_path / "merged", [folder], procs=2, batch_passages=100)
    monkeypatch.setattr(index_writer, "MAX_SEGMENTS", 10_000)
    index_paths(tmp_path / "unmerged", [folder], procs=2, batch_passages=100)
    assert len(_segments(tmp_path / "merged")) == 1 < len(_segments(tmp_path / "unmerged"))
    unmerged = ranked(tmp_path / "unmerged")
    assert ranked(tmp_path / "merged") == unmerged
    assert any(len({score for _, score in hits}) < len(hits) for hits in unmerged)  # ties to order
