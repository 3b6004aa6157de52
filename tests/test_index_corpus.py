"""The whole shared corpus.jsonl indexes completely, and indexing it again changes nothing."""

import json

from click.testing import CliRunner

from beleidzoek.search.cli import cli


def _stats(index_dir):
    result = CliRunner().invoke(cli, ["--index", str(index_dir), "stats", "--json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    stats.pop("size_bytes", None)
    return stats


def test_corpus_jsonl_indexes_every_document_and_reindexing_keeps_counts(tmp_path, corpus_dir):
    index_dir = tmp_path / "index"
    runner = CliRunner()
    args = ["--index", str(index_dir), "index", str(corpus_dir / "corpus.jsonl"), "--json"]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["documents"] == 1162
    before = _stats(index_dir)
    assert before["documents"] == 1162
    again = runner.invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["files_unchanged"] == 1
    assert _stats(index_dir) == before
