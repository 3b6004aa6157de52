"""Building an index for the command line: the sample corpus, progress, the default index.

The search layer may call the index layer only to build an index; this module
is that one place. ``progress`` arguments are factories: ``progress(total_bytes)``
returns a context manager yielding ``update(bytes_done)``, so the CLI can plug in
a click progress bar and library users can pass nothing.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Callable, ContextManager, Iterable

from ..index.errors import BeleidzoekError, IndexMissing

ProgressFactory = Callable[[int], ContextManager[Callable[[int], None]]]


class SampleMissing(BeleidzoekError):
    """The bundled sample corpus is not installed (exit code 2)."""

    exit_code = 2


def sample_paths() -> list[Path]:
    """The folder of the bundled sample corpus, checked to exist and hold files."""
    try:
        from ..corpus.sample import sample_dir
    except ImportError:
        raise SampleMissing("the bundled sample corpus is not installed: "
                            "index your own files with `beleidzoek index PATH`") from None
    folder = Path(sample_dir())
    if not folder.is_dir() or not any(p.is_file() for p in folder.rglob("*")):
        raise SampleMissing(f"the bundled sample corpus is missing ({folder}): "
                            f"index your own files with `beleidzoek index PATH`")
    return [folder]


def count_bytes(paths: Iterable[str | Path]) -> int:
    """Total size of the files under ``paths`` (for a progress bar)."""
    from ..corpus.walk import find_files
    from ..index.writer import total_bytes

    return total_bytes(list(find_files(paths)))


@contextmanager
def _no_progress(total: int):
    yield None


def build(index_dir: str | Path, paths: Iterable[str | Path] | None = None, *, rebuild: bool = False,
          prune: bool = False, wait: float = 0.0, batch_passages: int | None = None,
          optimize: bool = False, progress: ProgressFactory | None = None):
    """Index ``paths`` (default: the sample corpus) into ``index_dir``; returns the
    :class:`~beleidzoek.index.writer.IndexReport`.

    ``batch_passages`` (default: the writer's) sets how often work is committed;
    ``optimize`` merges the index into one segment at the end.
    Raises :class:`~beleidzoek.index.errors.IndexInterrupted` on Ctrl-C, after
    keeping what was committed.
    """
    from ..index.writer import DEFAULT_BATCH_PASSAGES, index_paths

    paths = list(paths) if paths else sample_paths()
    factory = progress or _no_progress
    total = count_bytes(paths) if progress else 0
    with factory(total) as update:
        return index_paths(Path(index_dir), paths, rebuild=rebuild, prune=prune, wait=wait,
                           batch_passages=batch_passages or DEFAULT_BATCH_PASSAGES,
                           progress=update, optimize=optimize)


def ensure_index(index_dir: str | Path, *, is_default: bool, progress: ProgressFactory | None = None,
                 notice: Callable[[str], None] | None = None):
    """Make sure an index exists before reading it.

    A missing *default* index is built from the sample corpus (telling
    ``notice`` first); a missing index the user named raises
    :class:`~beleidzoek.index.errors.IndexMissing`. Returns the build report or None.
    """
    from ..index.storage import index_exists

    index_dir = Path(index_dir)
    if index_exists(index_dir):
        return None
    if not is_default:
        raise IndexMissing(f"no index at {index_dir}: run `beleidzoek index` first")
    paths = sample_paths()
    if notice:
        notice(f"no index yet at {index_dir}: building one from the bundled sample corpus "
               f"(index your own files with `beleidzoek index PATH`)")
    return build(index_dir, paths, progress=progress)


__all__ = ["SampleMissing", "build", "count_bytes", "ensure_index", "sample_paths"]
