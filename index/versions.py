"""Installed package versions, for the analyzer id and the lexicon cache's name.

``importlib.metadata`` imports email, zipfile and csv to answer: about 10 ms
of every search, which needs two versions. :func:`package_version` finds the
distribution the way ``importlib.metadata`` does (the first ``sys.path``
folder with a ``NAME-*.dist-info`` or ``.egg-info`` entry, names compared
normalised) and reads the ``Version:`` line of its metadata; anything it
cannot read that way is left to ``importlib.metadata``.
"""

from __future__ import annotations

import os
import re
import sys


def _normalize(name: str) -> str:
    """PEP 503 normalisation with underscores, as ``importlib.metadata`` compares names."""
    return re.sub(r"[-_.]+", "_", name).lower()


def _metadata_file(path: str) -> str:
    if path.lower().endswith(".dist-info"):
        return os.path.join(path, "METADATA")
    return os.path.join(path, "PKG-INFO") if os.path.isdir(path) else path


def _read_version(path: str) -> str | None:
    try:
        with open(_metadata_file(path), encoding="utf-8") as metadata:
            for line in metadata:
                if not line.strip():
                    break  # the end of the headers
                if line.startswith("Version:"):
                    return line.partition(":")[2].strip()
    except (OSError, UnicodeDecodeError):
        pass
    return None


def _distribution(name: str) -> str | None:
    """The metadata folder (or file) of the first distribution called ``name`` on ``sys.path``."""
    wanted = _normalize(name)
    for folder in sys.path:
        try:
            children = os.listdir(folder or ".")
        except OSError:
            continue
        for child in children:
            low = child.lower()
            if low.endswith((".dist-info", ".egg-info")) and \
                    _normalize(low.rpartition(".")[0].partition("-")[0]) == wanted:
                return os.path.join(folder or ".", child)
    return None


def package_version(name: str) -> str:
    """What ``importlib.metadata.version(name)`` returns (and raises: an ImportError)."""
    path = _distribution(name)
    version = _read_version(path) if path else None
    if version:
        return version
    from importlib import metadata

    return metadata.version(name)
