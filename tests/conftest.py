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
