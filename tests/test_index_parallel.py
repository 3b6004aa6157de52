"""Indexing with worker processes must give the same index content as without."""

from beleidzoek.index.storage import open_index
from beleidzoek.index.writer import index_paths
from beleidzoek.search import Searcher


def _summary(index_dir):
    with Searcher(index_dir) as searcher:
        stats = searcher.stats()
        hits = searcher.search("gemeenten ICT-voorzieningen privatiseren", limit=10)
        return stats.documents, stats.passages, [hit.passage_id for hit in hits.hits]


def test_worker_processes_index_the_same_passages(tmp_path, corpus_dir, seeds_dir):
    paths = [corpus_dir / "kamervragen", seeds_dir]
    serial = index_paths(tmp_path / "serial", paths, procs=1)
    parallel = index_paths(tmp_path / "parallel", paths, procs=2, batch_passages=500)
    assert (parallel.documents, parallel.passages) == (serial.documents, serial.passages)
    assert _summary(tmp_path / "parallel") == _summary(tmp_path / "serial")


def test_optimize_merges_the_workers_segments_into_one_with_the_same_content(tmp_path, corpus_dir, seeds_dir):
    paths = [corpus_dir / "kamervragen", seeds_dir]
    index_paths(tmp_path / "optimized", paths, procs=2, batch_passages=500, optimize=True)
    assert len(open_index(tmp_path / "optimized")._segments()) == 1
    index_paths(tmp_path / "serial", paths, procs=1)
    assert _summary(tmp_path / "optimized") == _summary(tmp_path / "serial")
