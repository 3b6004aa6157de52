"""Where the inputs of ``similar`` and ``search --queries`` come from.

``similar`` takes typed text, stdin, a file or a document in the index
(:func:`resolve`); ``search --queries`` a UTF-8 file of queries, one a line
(:func:`read_queries`).

For ``similar``, a file is read by the corpus readers, so any layout they
accept works: each of its questions is one input (a document without
questions is one input as a whole). A document in the index gives its
questions too, and is left out of its own results -- as is a file's
document, should it be indexed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..index.errors import BeleidzoekError


@dataclass
class Question:
    """One question to find similar ones for."""

    text: str
    #: Where it came from ("2017Z07436 vraag 3"); None for typed text.
    label: str | None = None
    #: Documents (its own) to leave out of the results.
    exclude_docs: tuple[str, ...] = ()


def resolve(session, argument: str, stdin: IO[str] | None = None) -> list[Question]:
    """The questions ``argument`` stands for: ``-`` reads stdin; an existing
    file gives its questions; a single word that is a document id or Kamervraag
    number in the index gives that document's questions; anything else is the
    question itself."""
    from .documents import DocumentNotFound

    argument = argument.strip()
    if not argument:
        raise BeleidzoekError("give a question, a file, '-' for stdin, or a document id")
    if argument == "-":
        text = (stdin.read() if stdin is not None else "").strip()
        if not text:
            raise BeleidzoekError("no question on stdin")
        return [Question(text, label="stdin")]
    if not any(char.isspace() for char in argument):
        path = Path(argument).expanduser()
        if path.is_file():
            return file_questions(path)
        try:
            doc = session.show(argument)
        except DocumentNotFound:
            pass
        else:
            return document_questions(doc, exclude=own_ids(doc))
    return [Question(argument)]


def file_questions(path: Path) -> list[Question]:
    """The questions of every document a corpus reader finds in ``path``."""
    from ..corpus.walk import read_file

    result = read_file(path)
    if not result.documents:
        reasons = "; ".join(item.reason for item in result.skipped) or "no text"
        raise BeleidzoekError(f"cannot read questions from {path}: {reasons}")
    return [question for doc in result.documents
            for question in document_questions(doc, exclude=own_ids(doc), source=path.name)]


def document_questions(doc, *, exclude: tuple[str, ...] = (), source: str | None = None) -> list[Question]:
    """A document's question passages, or its whole text when it has none."""
    name = source or doc.number or doc.doc_id
    questions = [Question(p.text, label=f"{name} vraag {p.number}" if p.number else name,
                          exclude_docs=exclude)
                 for p in doc.passages if p.kind == "question" and p.text.strip()]
    if questions:
        return questions
    text = "\n\n".join(p.text for p in doc.passages).strip()
    return [Question(text, label=name, exclude_docs=exclude)] if text else []


def own_ids(doc) -> tuple[str, ...]:
    """The ids the document may have in an index: its id, and for a Kamervraag
    its number as a file name and as a ``corpus.jsonl`` id."""
    ids = [doc.doc_id]
    if doc.number:
        ids += [doc.number, f"kamervraag-{doc.number}"]
    return tuple(dict.fromkeys(ids))


def read_queries(path: str, stdin: IO[str]) -> list[str]:
    """The queries of ``search --queries`` in a UTF-8 file, one a line (``-``:
    ``stdin``); empty lines and lines starting with ``#`` are skipped."""
    try:
        data = stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as error:
        raise BeleidzoekError(f"cannot read queries file {path}: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BeleidzoekError(f"queries file {path} is not UTF-8 text") from None
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]
