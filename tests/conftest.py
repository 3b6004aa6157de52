"""Shared fixtures: the read-only test data beside the repository, and Hypothesis profiles."""

import os
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("ci", max_examples=100, deadline=None)
settings.register_profile("long", max_examples=10_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared data folder (``../shared``); the tests need it and say so when it is missing."""
    assert SHARED.is_dir(), f"test data missing: expected the shared folder at {SHARED}"
    return SHARED


@pytest.fixture(scope="session")
def seeds_dir(shared_dir: Path) -> Path:
    path = shared_dir / "seeds"
    assert path.is_dir(), f"test data missing: {path}"
    return path


@pytest.fixture(scope="session")
def corpus_dir(shared_dir: Path) -> Path:
    path = shared_dir / "corpus"
    assert (path / "corpus.jsonl").is_file(), f"test data missing: {path / 'corpus.jsonl'}"
    return path


@pytest.fixture(scope="session")
def finding_index(tmp_path_factory, shared_dir: Path) -> Path:
    """The seeds, the 99 Kamervragen and the 2028 QA pairs, indexed once for the
    finding-aid tests (similar, suggestions, facets, paging)."""
    from beleidzoek.index.writer import index_paths

    folder = tmp_path_factory.mktemp("finding-index")
    corpus = shared_dir / "corpus"
    report = index_paths(folder, [shared_dir / "seeds", corpus / "kamervragen", corpus / "qa_pairs"])
    assert report.documents > 2000 and not report.skipped
    return folder


@pytest.fixture(scope="session")
def finding_searcher(finding_index: Path):
    from beleidzoek.search.results import Searcher

    with Searcher(finding_index) as session:
        yield session
