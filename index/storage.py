"""Where indexes live, and opening them safely.

Each index folder carries ``beleidzoek.json`` naming the analyzer it was built
with; an index analysed differently from this version's analyzer would return
wrong results, so it is refused with a message instead of being searched.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from .analysis import AnalysisConfig, analyzer_id
from .errors import IndexIncompatible, IndexMissing

MANIFEST = "beleidzoek.json"
SCHEMA_VERSION = 2  # 2: spell field, doc_id column, party as printed
INDEX_NAME = "MAIN"


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
    config = AnalysisConfig(**manifest.get("config", {})) if isinstance(manifest.get("config"), dict) else None
    expected = analyzer_id(config) if config else None
    if manifest.get("schema") != SCHEMA_VERSION or manifest.get("analyzer") != expected:
        raise IndexIncompatible(
            f"index at {index_dir} was built with analyzer {manifest.get('analyzer')!r}; "
            f"this beleidzoek uses {analyzer_id(config or AnalysisConfig())!r}: "
            f"rebuild it with `beleidzoek index --rebuild`")
    return config


def open_index(index_dir: Path):
    """Open an existing index for reading or writing."""
    from whoosh import index as whoosh_index

    index_dir = Path(index_dir)
    check_compatible(index_dir, read_manifest(index_dir))
    try:
        return whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    except whoosh_index.EmptyIndexError:
        raise IndexMissing(f"no index at {index_dir}: run `beleidzoek index` first") from None
    except Exception as error:  # unpickling a schema from another version, a damaged TOC
        raise IndexIncompatible(f"cannot open index at {index_dir} ({type(error).__name__}: {error}); "
                                f"rebuild it with `beleidzoek index --rebuild`") from None


def create_index(index_dir: Path, config: AnalysisConfig | None = None):
    """Create an empty index; the manifest is written first so a crash leaves it recognisable."""
    from whoosh import index as whoosh_index

    from .schema import build_schema

    config = config or AnalysisConfig()
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    manifest = {"schema": SCHEMA_VERSION, "analyzer": analyzer_id(config),
                "config": config_dict(config)}
    temporary = index_dir / (MANIFEST + ".tmp")
    temporary.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    ix = whoosh_index.create_in(str(index_dir), build_schema(config), indexname=INDEX_NAME)
    os.replace(temporary, index_dir / MANIFEST)
    return ix


def open_or_create(index_dir: Path, config: AnalysisConfig | None = None):
    if index_exists(index_dir):
        return open_index(index_dir)
    return create_index(index_dir, config)


def config_dict(config: AnalysisConfig) -> dict:
    from dataclasses import asdict

    return asdict(config)
