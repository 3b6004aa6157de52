"""JSON Lines corpora: the shared ``corpus.jsonl`` schema and bare QA pairs.

A corpus file can hold thousands of documents, so it is read line by line; a
broken line costs that line only and is reported as ``Skipped`` with its number.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from .dates import parse_date
from .kamervraag import qa_passages
from .kinds import DOCUMENT_KINDS
from .model import Document, Skipped
from .passages import passage_kind, text_passages
from .plaintext import short_title

# Fields that become Document attributes or passages, not ``extra``.
# ``text_raw`` (the unrepaired extraction of a Kamervraag) is dropped: the
# cleaned ``text`` and ``qa`` say the same.
_MAPPED = frozenset(
    "id kind title date source text text_raw qa number submitted answered submitters answerers topics".split()
)
#: A line longer than this is skipped without being held in memory: a damaged
#: file can be one endless "line".
MAX_LINE_BYTES = 64 * 1024 * 1024


def iter_jsonl(path: str | Path, max_line_bytes: int = MAX_LINE_BYTES) -> Iterator[Document | Skipped]:
    """Documents of a JSON Lines file in order, one line in memory at a time.

    Lines in the ``corpus.jsonl`` schema and ``{"id", "question", "answer"}``
    QA pairs are both understood; a line that is not valid JSON, lacks
    ``id``/``text`` or is longer than ``max_line_bytes`` gives ``Skipped``
    with its line number.
    """
    with open(path, "rb") as lines:
        for number, raw in _lines(lines, max_line_bytes):
            if raw is None:
                yield Skipped(str(path), f"line too long (over {max_line_bytes / 2**20:g} MiB)", line=number)
                continue
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
            except UnicodeDecodeError:
                yield Skipped(str(path), "line is not UTF-8", line=number)
                continue
            except (ValueError, RecursionError) as error:
                reason = error.msg if isinstance(error, json.JSONDecodeError) else str(error)
                yield Skipped(str(path), f"invalid JSON ({reason})", line=number)
                continue
            try:
                yield record_document(record)
            except ValueError as error:
                yield Skipped(str(path), str(error), line=number)


def _lines(handle, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(number, line) for each line of a binary file; None for a line over ``limit`` bytes."""
    number = 0
    while raw := handle.readline(limit + 1):
        number += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest, a block at a time
                raw = handle.readline(1 << 20)
            yield number, None
        else:
            yield number, raw


def record_document(record: object) -> Document:
    """A Document for one JSON record; ``ValueError`` says what is missing."""
    if not isinstance(record, dict):
        raise ValueError("line is not a JSON object")
    doc_id = _text(record.get("id"))
    if not doc_id:
        raise ValueError("record has no id")
    if "text" not in record and "question" in record:
        return _qa_pair(doc_id, record)
    text = _text(record.get("text"))
    if text is None:
        raise ValueError("record has no text")
    kind = _text(record.get("kind")) or "guidance"
    if kind not in DOCUMENT_KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    passages = []
    if kind == "kamervraag":
        passages = qa_passages(list(_qa(record.get("qa"))))
    if not passages:
        passages = text_passages(text, passage_kind(kind))
    submitted = parse_date(_text(record.get("submitted")))
    answered = parse_date(_text(record.get("answered")))
    return Document(
        doc_id=doc_id,
        kind=kind,
        title=_text(record.get("title")) or short_title(text.strip().split("\n")[0]) or doc_id,
        passages=passages,
        date=parse_date(_text(record.get("date"))) or answered or submitted,
        source=_text(record.get("source")),
        number=_text(record.get("number")),
        submitted=submitted,
        answered=answered,
        submitters=_texts(record.get("submitters")),
        answerers=_texts(record.get("answerers")),
        topics=_texts(record.get("topics")),
        extra={key: value for key, value in record.items() if key not in _MAPPED},
    )


def _qa_pair(doc_id: str, record: dict) -> Document:
    """A bare question/answer pair as a one-question Kamervraag."""
    question = _text(record.get("question")) or ""
    answer = _text(record.get("answer"))
    if not question.strip():
        raise ValueError("record has no question")
    return Document(
        doc_id=doc_id,
        kind="kamervraag",
        title=doc_id,  # no title of its own; the question's words would leak into the answer's title
        passages=qa_passages([("1", question.strip(), answer.strip() if answer else None)]),
        source=_text(record.get("source")),
        extra={key: value for key, value in record.items() if key not in {"id", "question", "answer", "source"}},
    )


def _qa(value: object) -> Iterator[tuple[str, str, str | None]]:
    """(label, question, answer) for each well-formed entry of a ``qa`` list."""
    for position, entry in enumerate(value if isinstance(value, list) else [], start=1):
        if isinstance(entry, dict):
            question = (_text(entry.get("question")) or "").strip()
            answer = (_text(entry.get("answer")) or "").strip() or None
            yield _text(entry.get("n")) or str(position), question, answer


def _text(value: object) -> str | None:
    """A string field; numbers are accepted as text, anything else counts as missing."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _texts(value: object) -> list[str]:
    """A list-of-strings field; a lone string is a list of one."""
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [item for item in (_text(item) for item in value) if item and item.strip()]
    return []
