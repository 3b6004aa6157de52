"""The sample corpus shipped with the package, so a fresh install can search at once."""

from __future__ import annotations

from pathlib import Path


def sample_dir() -> Path:
    """The folder of bundled sample documents (rebuilt by tools/make_sample.py)."""
    return Path(__file__).resolve().parent / "sample"
