"""Incremental indexing: unchanged files skipped, changed ones replaced, gone ones pruned, never duplicated.

Also what an interrupted or failing run leaves for the next one: committed
documents of a half-indexed JSON Lines file, a disk that fills up mid-commit.
"""

import errno
import json
import os
import re
import shutil

import pytest
from click.testing import CliRunner

from beleidzoek.index.errors import IndexIncompatible, IndexInterrupted
from beleidzoek.index.storage import MANIFEST
from beleidzoek.index.writer import _BatchWriter, index_paths
from beleidzoek.search.cli import cli as beleidzoek
from beleidzoek.search.results import Searcher
from robust_support import CORPUS, assert_tidy, blog_files, generations, names, stats


@pytest.fixture()
def corpus(tmp_path):
    """A writable copy of twelve shared blog posts, in a ``blogs`` folder (which gives their kind)."""
    folder = tmp_path / "corpus" / "blogs"
    folder.mkdir(parents=True)
    for path in blog_files(12):
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture()
def jsonl(tmp_path):
    """Twelve blog records of the shared ``corpus.jsonl``: over 40 passages in one file."""
    lines = []
    with open(CORPUS / "corpus.jsonl", encoding="utf-8") as source:
        for line in source:
            if json.loads(line)["kind"] == "blog":
                lines.append(line)
                if len(lines) == 12:
                    break
    path = tmp_path / "blogs.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def total(index, query: str) -> int:
    with Searcher(index) as searcher:
        return searcher.search(query).total


def invoke(*args):
    result = CliRunner().invoke(beleidzoek, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def test_unchanged_rerun_skips_every_file_and_writes_nothing(tmp_path, corpus):
    index = tmp_path / "index"
    first = index_paths(index, [corpus])
    assert first.files_indexed == 12 and first.files_unchanged == 0
    listing = names(index)
    again = index_paths(index, [corpus])
    assert (again.files_indexed, again.files_unchanged, again.documents) == (0, 12, 0)
    assert names(index) == listing  # not even a new TOC generation


def test_a_changed_file_replaces_only_its_own_passages(tmp_path, corpus):
    index = tmp_path / "index"
    index_paths(index, [corpus])
    before = stats(index)
    changed = sorted(corpus.iterdir())[3]
    old_word = "zeldzaamoudwoord"
    changed.write_text(f"Titel\n\nDeze tekst over {old_word} vervangt alles.\n", encoding="utf-8")
    index_paths(index, [corpus])
    assert total(index, old_word) == 1

    changed.write_text("Titel\n\nNu gaat het over kwartelkoninginnen en niets anders.\n", encoding="utf-8")
    result = invoke("--index", index, "index", corpus, "--json")
    assert result.exit_code == 0
    assert "indexed 1 document (1 passage) from 1 file, 11 files unchanged" in result.output
    report = json.loads(result.stdout)
    assert (report["files_indexed"], report["files_unchanged"], report["documents"]) == (1, 11, 1)
    assert total(index, old_word) == 0 and total(index, "kwartelkoninginnen") == 1
    after = stats(index)
    assert after["documents"] == before["documents"] == 12 and after["files"] == 12


def test_touching_a_file_without_changing_it_is_not_reindexing(tmp_path, corpus):
    index = tmp_path / "index"
    index_paths(index, [corpus])
    for path in corpus.iterdir():
        os.utime(path, (1, 1))
    assert index_paths(index, [corpus]).files_unchanged == 12


def test_files_are_known_by_absolute_real_path_from_any_folder_or_link(tmp_path, corpus, monkeypatch):
    index = tmp_path / "index"
    monkeypatch.chdir(corpus.parent)
    assert index_paths(index, ["blogs"]).files_indexed == 12
    monkeypatch.chdir(tmp_path)
    assert index_paths(index, [corpus]).files_unchanged == 12
    link = tmp_path / "link"
    link.symlink_to(corpus, target_is_directory=True)
    assert index_paths(index, [link]).files_unchanged == 12
    assert stats(index)["files"] == 12


def test_prune_forgets_deleted_files_only_when_asked(tmp_path, corpus):
    index = tmp_path / "index"
    index_paths(index, [corpus])
    gone = sorted(corpus.iterdir())[0]
    doc_id = gone.stem
    gone.unlink()
    kept = index_paths(index, [corpus])
    assert kept.files_removed == 0 and stats(index)["documents"] == 12
    pruned = invoke("--index", index, "index", "--prune", corpus, "--json")
    assert pruned.exit_code == 0 and json.loads(pruned.stdout)["files_removed"] == 1
    data = stats(index)
    assert data["documents"] == data["files"] == 11
    with Searcher(index) as searcher:
        assert not any(hit.doc_id == doc_id for hit in searcher.search("api", limit=100).hits)


def test_interrupted_jsonl_file_is_replaced_not_duplicated(tmp_path, jsonl, monkeypatch):
    """A big file committed in part has no file record yet: the rerun must replace its documents."""
    lines = jsonl.read_text(encoding="utf-8").splitlines(keepends=True)
    expected_index = tmp_path / "expected"
    shortened = tmp_path / "expected-input" / jsonl.name
    shortened.parent.mkdir()
    shortened.write_text("".join(lines[1:]), encoding="utf-8")
    index_paths(expected_index, [shortened], batch_passages=10)
    expected = stats(expected_index)

    commit, commits = _BatchWriter.commit, []

    def interrupted_commit(self, last=False):
        assert not last, "the file is too small to be interrupted between batches"
        commit(self, last)
        commits.append(last)
        if len(commits) == 2:
            raise KeyboardInterrupt

    index = tmp_path / "index"
    with monkeypatch.context() as patch:
        patch.setattr(_BatchWriter, "commit", interrupted_commit)
        with pytest.raises(IndexInterrupted) as interrupted:
            index_paths(index, [jsonl], batch_passages=10)
    assert interrupted.value.committed_files == 0  # the documents are in, the file record is not
    partial = stats(index)
    assert 0 < partial["documents"] < 12 and partial["files"] == 0
    assert_tidy(index)

    # Meanwhile the file lost its first line, which the interrupted run had committed.
    jsonl.write_text("".join(lines[1:]), encoding="utf-8")
    report = index_paths(index, [jsonl], batch_passages=10)
    assert report.files_indexed == 1 and report.documents == 11
    assert stats(index) == expected


def test_disk_full_during_a_commit_keeps_the_last_commit(tmp_path, corpus, monkeypatch):
    from whoosh.index import TOC

    expected_index = tmp_path / "expected"
    index_paths(expected_index, [corpus], batch_passages=40)
    expected = stats(expected_index)

    write, calls = TOC.write, []

    def full_disk(self, storage, indexname):
        calls.append(self.generation)
        if len(calls) == 3:  # creating the index, the first batch, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device", "_MAIN_2.toc")
        return write(self, storage, indexname)

    index = tmp_path / "index"
    monkeypatch.setattr(TOC, "write", full_disk)
    result = invoke("--index", index, "index", "--batch-size", "40", corpus)
    assert result.exit_code == 3
    errors = [line for line in result.output.splitlines() if line.startswith("beleidzoek: error:")]
    assert len(errors) == 1 and re.fullmatch(
        rf"beleidzoek: error: cannot write the index at {re.escape(str(index))}: No space left on device "
        rf"\(_MAIN_2\.toc\); kept [1-9]\d* committed files?: fix the problem and run again to resume",
        errors[0]), result.output
    assert generations(index) == [1]
    assert 0 < stats(index)["documents"] < 12
    assert_tidy(index)  # the failed batch's files are gone: they would only fill the disk more

    monkeypatch.setattr(TOC, "write", write)
    index_paths(index, [corpus], batch_passages=40)
    assert stats(index) == expected


def test_rebuild_starts_over_and_repairs_an_incompatible_index(tmp_path, corpus):
    index = tmp_path / "index"
    index_paths(index, [corpus])
    expected = stats(index)
    manifest = index / MANIFEST
    data = json.loads(manifest.read_text())
    data["analyzer"] = "some-older-analyzer"
    manifest.write_text(json.dumps(data))
    with pytest.raises(IndexIncompatible, match="--rebuild"):
        index_paths(index, [corpus])
    report = index_paths(index, [corpus], rebuild=True)
    assert report.files_indexed == 12 and report.files_unchanged == 0
    assert stats(index) == expected
    assert_tidy(index)


def test_the_same_document_id_in_two_files_is_one_document(tmp_path):
    folder = tmp_path / "guidance"
    folder.mkdir()
    (folder / "handreiking.txt").write_text("Handreiking\n\nEerste versie over archivering.\n", encoding="utf-8")
    (folder / "z.jsonl").write_text(json.dumps({"id": "handreiking", "kind": "guidance", "title": "Handreiking",
                                                "text": "Tweede versie over archivering."}) + "\n",
                                    encoding="utf-8")
    index = tmp_path / "index"
    index_paths(index, [folder])
    data = stats(index)
    assert data["documents"] == 1 and data["files"] == 2
    assert total(index, "archivering") == 1 and total(index, "tweede") == 1
