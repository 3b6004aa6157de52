"""Where indexes live, and opening, creating and tidying them safely.

Each index folder carries ``beleidzoek.json`` naming the analyzer it was built
with; an index analysed differently from this version's analyzer would return
wrong results, so it is refused with a message instead of being searched.

Whoosh commits by writing new segment files and then renaming a new TOC
("table of contents", ``_MAIN_<generation>.toc``) into place, so the newest
complete TOC is always a consistent index: that is what makes a killed
``beleidzoek index`` harmless. Readers open whatever TOC is newest and retry
when a commit deletes it under them; writers hold the lock in :mod:`.lock`.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from functools import lru_cache
from pathlib import Path

from .analysis import AnalysisConfig, analyzer_id
from .errors import IndexIncompatible, IndexMissing

MANIFEST = "beleidzoek.json"
SCHEMA_VERSION = 7  # 2: doc_id column (grouping), party as printed (facets); 3: day field (date ranges);
#                      4: one term per position and year, lean document records;
#                      5: stored fields compressed in blocks (index/stored_fields.py), kind and date columns of references
#                      6: postings of terms with up to three inlined in their term info
#                      7: block docnums and frequencies apart from positions (index/block_codec.py)
INDEX_NAME = "MAIN"
#: Whoosh's own write lock file, which a whole indexing run holds (see :mod:`.lock`).
WRITE_LOCK = f"{INDEX_NAME}_WRITELOCK"


def default_index_dir() -> Path:
    """The index in the user's data directory (``$BELEIDZOEK_INDEX`` wins)."""
    if env := os.environ.get("BELEIDZOEK_INDEX"):
        return Path(env).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "beleidzoek" / "index"


def index_exists(index_dir: Path) -> bool:
    return (Path(index_dir) / MANIFEST).is_file()


def read_manifest(index_dir: Path) -> dict:
    try:
        return json.loads((Path(index_dir) / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexMissing(f"no index at {index_dir}: run `beleidzoek index` first") from None
    except (OSError, ValueError) as error:
        raise IndexIncompatible(f"unreadable index manifest in {index_dir}: {error}") from None


def check_compatible(index_dir: Path, manifest: dict) -> AnalysisConfig:
    """The analysis config of the index, if this version can search it."""
    rebuild = "rebuild it with `beleidzoek index --rebuild PATH...`"
    if manifest.get("schema") != SCHEMA_VERSION:
        raise IndexIncompatible(f"index at {index_dir} has schema version {manifest.get('schema')}, "
                                f"this beleidzoek reads version {SCHEMA_VERSION}: {rebuild}")
    try:
        config = AnalysisConfig(**manifest["config"])
    except (KeyError, TypeError):
        raise IndexIncompatible(f"index at {index_dir} names an unknown analysis configuration: "
                                f"{rebuild}") from None
    if manifest.get("analyzer") != analyzer_id(config):
        raise IndexIncompatible(
            f"index at {index_dir} was built with analyzer {manifest.get('analyzer')!r}; "
            f"this beleidzoek analyses it as {analyzer_id(config)!r}: {rebuild}")
    return config


#: How often a reader retries when a writer replaced the files it was about to
#: open (Whoosh lists the TOC generations, then opens the newest: a commit in
#: between deletes it), and the pause between tries.
_OPEN_RETRIES, _OPEN_PAUSE = 20, 0.025
#: A TOC Whoosh was writing under a temporary name (``_MAIN_7.toc.1700000000.12``).
_TOC_TEMP = re.compile(rf"^_{INDEX_NAME}_\d+\.toc\.[\d.]+$")


def _retrying(action):
    """``action()``, tried again while a concurrent commit makes its files vanish."""
    for attempt in range(_OPEN_RETRIES):
        try:
            return action()
        except FileNotFoundError:
            if attempt == _OPEN_RETRIES - 1:
                raise
            time.sleep(_OPEN_PAUSE)


@lru_cache(maxsize=None)
def _index_class():
    """A Whoosh ``FileIndex`` whose every TOC read survives a concurrent commit.

    Whoosh retries opening segments but not reading the TOC, which ``schema``,
    ``reader()`` and ``doc_count()`` all do first.
    """
    from whoosh.index import FileIndex

    class RetryingIndex(FileIndex):
        def _read_toc(self):
            return _retrying(super()._read_toc)

    return RetryingIndex


def _open_whoosh(index_dir: Path):
    from . import column_offsets
    from .mapped import MappedStorage

    column_offsets.install()
    storage = MappedStorage(str(index_dir))
    return _retrying(lambda: storage.open_index(INDEX_NAME, indexclass=_index_class()))


def open_index(index_dir: Path):
    """Open an existing index for reading or writing; safe while another process writes it."""
    from whoosh import index as whoosh_index

    index_dir = Path(index_dir)
    check_compatible(index_dir, read_manifest(index_dir))
    try:
        return _open_whoosh(index_dir)
    except whoosh_index.EmptyIndexError:
        raise IndexMissing(f"no index at {index_dir}: run `beleidzoek index` first") from None
    except Exception as error:  # unpickling a schema from another version, a damaged TOC
        raise IndexIncompatible(f"cannot open index at {index_dir} ({type(error).__name__}: {error}); "
                                f"rebuild it with `beleidzoek index --rebuild`") from None


def create_index(index_dir: Path, config: AnalysisConfig | None = None):
    """Start an empty index analysed with ``config``: a new index, or ``--rebuild``.

    Done the way Whoosh commits: a new TOC generation without segments is
    renamed into place, so a reader sees the old index or the new empty one,
    never a half-deleted folder; then the manifest is replaced. The caller
    holds the write lock.
    """
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC, clean_files

    from .schema import build_schema

    config = config or AnalysisConfig()
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    storage = FileStorage(str(index_dir))
    generation = TOC._latest_generation(storage, INDEX_NAME) + 1
    TOC(build_schema(config), [], generation).write(storage, INDEX_NAME)
    clean_files(storage, INDEX_NAME, generation, [])
    manifest = {"schema": SCHEMA_VERSION, "analyzer": analyzer_id(config),
                "config": config_dict(config)}
    temporary = index_dir / (MANIFEST + ".tmp")
    temporary.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    os.replace(temporary, index_dir / MANIFEST)
    return _open_whoosh(index_dir)


def remove_leftovers(ix) -> int:
    """Delete what an interrupted writer left in the index folder; returns the count.

    A killed writer leaves the files of the segment it was writing, perhaps a
    TOC under its temporary name, and Whoosh's scratch folder ``MAIN.tmp``.
    None of it is referenced by the committed TOC, so readers never see it;
    Whoosh would delete the segment files at its next commit (never the rest),
    but a run that finds nothing to change does not commit. Only call this
    holding the write lock: a live writer's files look exactly the same.
    """
    from whoosh.index import clean_files

    toc = ix._read_toc()
    folder = Path(ix.storage.folder)
    before = set(os.listdir(folder))
    clean_files(ix.storage, INDEX_NAME, toc.generation, toc.segments)
    removed = len(before - set(os.listdir(folder)))
    scratch = {f"{INDEX_NAME}.tmp", f"{MANIFEST}.tmp"}
    for name in os.listdir(folder):
        if name in scratch or _TOC_TEMP.match(name):
            path = folder / name
            if path.is_dir():
                import shutil  # here, not at the top: every search imports this module

                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed += 1
    return removed


def config_dict(config: AnalysisConfig) -> dict:
    from dataclasses import asdict

    return asdict(config)
