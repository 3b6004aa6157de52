"""Find corpus files, pick the reader for each, and report what could not be read.

This is the one entry point the index needs: paths in, Documents out. A bad
file (binary, empty, unreadable, unknown type) is a ``Skipped`` with a short
reason, never an exception, so one odd file cannot stop a whole run.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .jsonl import iter_jsonl
from .kamervraag import is_kamervraag, parse_kamervraag
from .markdown import parse_markdown
from .model import Document, Skipped
from .plaintext import parse_plaintext
from .text import NotText, decode, looks_binary

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
TEXT_SUFFIXES = frozenset({".txt", ""})
#: Broken lines of one JSON Lines file reported one by one; the rest are counted.
MAX_LINE_REPORTS = 20
#: Folder names that say what kind of documents they hold.
KIND_FOLDERS = {
    "guidance": "guidance",
    "blogs": "blog",
    "blog": "blog",
    "laws": "law",
    "law": "law",
    "news": "news",
    "kamervragen": "kamervraag",
    "kamervraag": "kamervraag",
}


@dataclass
class FileResult:
    """What one file gave: its documents, what was skipped, and repairs worth a note."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def find_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files under the given files and directories, in sorted order, each once.

    Hidden files and folders are left out (unless named directly); symlinks are
    followed, but a folder or file already seen through another path is not
    visited again, so symlink loops end.
    """
    seen: set[Path] = set()
    for path in paths:
        yield from _walk(Path(path), seen, top=True)


def _walk(path: Path, seen: set[Path], top: bool) -> Iterator[Path]:
    if not top and path.name.startswith("."):
        return
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: let the reader report it
        yield path
        return
    if real in seen:
        return
    seen.add(real)
    if not path.is_dir():
        yield path
        return
    try:
        entries = sorted(path.iterdir(), key=lambda entry: entry.name)
    except OSError:
        yield path  # unreadable folder: reported by iter_file
        return
    for entry in entries:
        yield from _walk(entry, seen, top=False)


def kind_of(path: Path) -> str:
    """The document kind its nearest kind-named folder gives a file; "guidance" otherwise."""
    for folder in path.parent.parts[::-1]:
        if folder.lower() in KIND_FOLDERS:
            return KIND_FOLDERS[folder.lower()]
    return "guidance"


def read_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> FileResult:
    """Everything one file gives, collected (see ``iter_file`` to stream)."""
    result = FileResult()
    for item in iter_file(path, max_bytes=max_bytes, notices=result.notices):
        (result.documents if isinstance(item, Document) else result.skipped).append(item)
    return result


def iter_file(
    path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES, notices: list[str] | None = None
) -> Iterator[Document | Skipped]:
    """The documents of one file as they are read, or ``Skipped`` with the reason.

    JSON Lines files are streamed whatever their size; other files over
    ``max_bytes`` are skipped. Repairs worth a note ("<path>: not UTF-8, read
    as cp1252") are appended to ``notices`` when a list is given.
    """
    path = Path(path)
    problem = check_file(path, max_bytes)
    if problem:
        yield Skipped(str(path), problem)
        return
    if path.suffix.lower() in JSONL_SUFFIXES:
        yield from _jsonl(path)
        return
    try:
        text, repairs = decode(path.read_bytes())
    except NotText as error:
        yield Skipped(str(path), str(error))
        return
    except OSError as error:
        yield Skipped(str(path), _os_reason(error))
        return
    if notices is not None:
        notices.extend(f"{path}: {repair}" for repair in repairs)
    try:
        document = _parse(text, path)
    except Exception as error:  # a reader bug must cost one file, not the run
        yield Skipped(str(path), f"could not parse ({type(error).__name__}: {error})")
        return
    if not document.passages:
        yield Skipped(str(path), "no text to index")
        return
    document.path = str(path)
    yield document


def check_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str | None:
    """Why the file cannot be read at all, or None; checks only metadata, so a
    FIFO or device is reported without being opened (opening one could block)."""
    path = Path(path)
    try:
        status = path.stat()
    except FileNotFoundError:
        return "broken symlink" if path.is_symlink() else "file not found"
    except OSError as error:
        return _os_reason(error)
    suffix = path.suffix.lower()
    if path.is_dir():
        return "is a directory" if os.access(path, os.R_OK | os.X_OK) else "permission denied"
    if not path.is_file():
        return "not a regular file"
    if suffix not in JSONL_SUFFIXES | MARKDOWN_SUFFIXES | TEXT_SUFFIXES:
        return f"unsupported file type {suffix}"
    if status.st_size == 0:
        return "empty file"
    if status.st_size > max_bytes and suffix not in JSONL_SUFFIXES:
        return f"file too large ({status.st_size / 2**20:.1f} MiB > {max_bytes / 2**20:g} MiB limit)"
    return None


def _jsonl(path: Path) -> Iterator[Document | Skipped]:
    """A JSON Lines file's documents; a binary or UTF-16 file is refused at once
    rather than reported line by line, and at most ``MAX_LINE_REPORTS`` broken
    lines are listed (then one count), so a damaged file cannot flood the report."""
    found = broken = 0
    try:
        problem = _jsonl_problem(path)
        if problem:
            yield Skipped(str(path), problem)
            return
        for item in iter_jsonl(path):
            found += 1
            if isinstance(item, Document):
                item.path = str(path)
            else:
                broken += 1
                if broken > MAX_LINE_REPORTS:
                    continue
            yield item
    except OSError as error:
        yield Skipped(str(path), _os_reason(error))
        return
    if broken > MAX_LINE_REPORTS:
        more = broken - MAX_LINE_REPORTS
        yield Skipped(str(path), f"{more} more broken line{'' if more == 1 else 's'} not listed")
    if not found:
        yield Skipped(str(path), "empty file")


def _jsonl_problem(path: Path) -> str | None:
    """Why a JSON Lines file is not worth reading line by line, judged by its first line
    (only: a good first line followed by garbage still gives its good lines)."""
    with open(path, "rb") as handle:
        head = handle.read(8192)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "JSON Lines must be UTF-8, this file is UTF-16 or UTF-32: save it as UTF-8"
    if looks_binary(head.split(b"\n", 1)[0]):
        return "binary file"
    return None


def _parse(text: str, path: Path) -> Document:
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        return parse_markdown(text, path.stem, kind_of(path))
    if is_kamervraag(text):
        return parse_kamervraag(text, path.stem)
    return parse_plaintext(text, path.stem, kind_of(path))


def _os_reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied"
    return f"cannot read ({error.strerror or error})".lower()
