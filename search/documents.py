"""Whole documents and index statistics, read back from the index.

``show`` rebuilds a :class:`~beleidzoek.corpus.model.Document` from its
``document`` record (metadata as JSON) and its passage records; ``stats``
counts documents and passages per kind and per year.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..index.errors import BeleidzoekError
from ..index.schema import record_meta

_ZAAKNUMMER = re.compile(r"\d{4}Z\d{5}", re.I)
#: Year column value Whoosh returns for a passage without a year.
NO_YEAR = "unknown"


class DocumentNotFound(BeleidzoekError):
    """No document with the id or number a user gave (exit code 2)."""

    exit_code = 2


class PassageNotFound(DocumentNotFound):
    """No passage or question with the number a user gave (exit code 2)."""


# --------------------------------------------------------------------------
# show
# --------------------------------------------------------------------------


def _candidates(doc_id: str) -> list[str]:
    doc_id = doc_id.strip()
    found = [doc_id]
    if _ZAAKNUMMER.fullmatch(doc_id):
        number = doc_id.upper()
        found += [number, f"kamervraag-{number}"]
    elif doc_id.lower().startswith("kamervraag-") and _ZAAKNUMMER.fullmatch(doc_id[11:]):
        found += [doc_id[11:].upper(), f"kamervraag-{doc_id[11:].upper()}"]
    return list(dict.fromkeys(found))


def find_document_record(session, doc_id: str) -> dict:
    """The stored fields of the ``document`` record for an id or a Kamervraag number.

    Looks up, in order: the exact doc id; for a zaaknummer ("2017Z07436") also
    "kamervraag-2017Z07436"; then any document whose number is that number;
    then a case-insensitive doc id. Raises :class:`DocumentNotFound` with
    suggestions.
    """
    searcher = session.whoosh_searcher
    if not doc_id or not doc_id.strip():
        raise DocumentNotFound("no document id given")
    for candidate in _candidates(doc_id):
        fields = searcher.document(passage_id=f"{candidate}#doc")
        if fields is not None:
            return fields
    wanted = doc_id.strip().casefold()
    records = list(_document_records(searcher))
    for fields in records:
        meta = record_meta(fields)
        if str(meta.get("number") or "").casefold() == wanted:
            return fields
    for fields in records:
        if str(fields.get("doc_id", "")).casefold() == wanted:
            return fields
    similar = sorted(f["doc_id"] for f in records if wanted in str(f.get("doc_id", "")).casefold())
    if similar:
        more = f" (and {len(similar) - 5} more)" if len(similar) > 5 else ""
        raise DocumentNotFound(f"no document '{doc_id}' in the index; did you mean "
                               f"{', '.join(similar[:5])}{more}?")
    raise DocumentNotFound(f"no document '{doc_id}' in the index; find ids with `beleidzoek search`")


def _document_records(searcher):
    from whoosh.query import Term

    for docnum in searcher.docs_for_query(Term("record", "document")):
        yield searcher.stored_fields(docnum)


def show(session, doc_id: str):
    """The :class:`~beleidzoek.corpus.model.Document` ``doc_id`` (or Kamervraag
    number) with its passages in reading order."""
    from whoosh.query import And, Term

    from ..index.records import document_from_fields

    record = find_document_record(session, doc_id)
    searcher = session.whoosh_searcher
    real_id = record["doc_id"]
    query = And([Term("doc_id", real_id), Term("record", "passage")])
    passages = [searcher.stored_fields(n) for n in searcher.docs_for_query(query)]
    return document_from_fields({"kind": "", "title": "", **record_meta(record)}, passages)


def document_json(doc, focus: frozenset[int] | None = None) -> dict:
    """``show --json``: the metadata fields, then ``passages`` as
    kind/number/position/text (plus ``focus`` with ``show --passage``)."""
    data = asdict(doc)
    passages = data.pop("passages")
    data["passages"] = [{"kind": p["kind"], "number": p["number"], "position": p["position"],
                         "text": p["text"]} for p in passages]
    if focus is not None:
        for passage in data["passages"]:
            passage["focus"] = passage["position"] in focus
    return data


def passage_window(doc, selector: str, context: int = 1):
    """``show --passage``: the document cut to the chosen passage and ``context``
    neighbours either side, and the chosen positions. In a Kamervraag the
    selector is a question number as printed ("3": question 3 and its answer);
    elsewhere a passage position as in passage ids (from 0)."""
    import copy

    groups = _passage_groups(doc)
    wanted = str(selector).strip().casefold()
    if doc.kind == "kamervraag":
        found = [i for i, group in enumerate(groups) if str(group[0].number or "").casefold() == wanted]
        choices = ", ".join(str(group[0].number) for group in groups)
        missing = f"no question {selector} in {doc.doc_id} (questions: {choices})"
    else:
        found = [i for i, group in enumerate(groups) if str(group[0].position) == wanted]
        missing = f"no passage {selector} in {doc.doc_id} (positions 0-{len(groups) - 1})"
    if not found:
        raise PassageNotFound(missing)
    start, end = max(found[0] - context, 0), found[0] + context + 1
    window = copy.copy(doc)  # not replace(): a new Document would renumber its passages
    window.passages = [p for group in groups[start:end] for p in group]
    return window, frozenset(p.position for p in groups[found[0]])


def _passage_groups(doc) -> list[list]:
    """A Kamervraag's passages per question (question and answer together);
    other documents' passages one by one."""
    if doc.kind != "kamervraag":
        return [[p] for p in doc.passages]
    groups: list[list] = []
    for passage in doc.passages:
        if groups and passage.number and groups[-1][0].number == passage.number:
            groups[-1].append(passage)
        else:
            groups.append([passage])
    return groups


# --------------------------------------------------------------------------
# stats
# --------------------------------------------------------------------------


@dataclass
class IndexStats:
    """What is in an index (``beleidzoek stats``)."""

    index_dir: str
    analyzer: str
    schema: int | None
    documents: int
    passages: int
    files: int
    size_bytes: int
    documents_by_kind: dict = field(default_factory=dict)
    passages_by_kind: dict = field(default_factory=dict)
    documents_by_year: dict = field(default_factory=dict)
    passages_by_year: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return asdict(self)


def year_label(value) -> str:
    """A year column value as text ("2017"), or "unknown"."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return NO_YEAR
    return str(year) if 1000 <= year <= 9999 else NO_YEAR


def _sorted_counts(counts: dict) -> dict:
    return {key: counts[key] for key in sorted(counts, key=lambda k: (k == NO_YEAR, k))}


def stats(session) -> IndexStats:
    """Documents and passages per kind and per year, files, size on disk, analyzer."""
    from whoosh.query import Term

    searcher = session.whoosh_searcher
    reader = searcher.reader()
    passages_by_kind: dict[str, int] = {}
    passages_by_year: dict[str, int] = {}
    kinds = reader.column_reader("kind") if reader.has_column("kind") else None
    years = reader.column_reader("year") if reader.has_column("year") else None
    passages = 0
    for docnum in searcher.docs_for_query(Term("record", "passage")):
        passages += 1
        kind = (kinds[docnum] if kinds is not None else "") or "unknown"
        if isinstance(kind, bytes):
            kind = kind.decode("utf-8", "replace")
        passages_by_kind[kind] = passages_by_kind.get(kind, 0) + 1
        year = year_label(years[docnum]) if years is not None else NO_YEAR
        passages_by_year[year] = passages_by_year.get(year, 0) + 1
    documents_by_kind: dict[str, int] = {}
    documents_by_year: dict[str, int] = {}
    documents = 0
    for fields in _document_records(searcher):
        documents += 1
        kind = fields.get("doc_kind") or "unknown"
        documents_by_kind[kind] = documents_by_kind.get(kind, 0) + 1
        year = year_label(fields.get("year"))
        documents_by_year[year] = documents_by_year.get(year, 0) + 1
    files = sum(1 for _ in searcher.docs_for_query(Term("record", "file")))
    return IndexStats(
        index_dir=str(session.index_dir), analyzer=session.manifest.get("analyzer", ""),
        schema=session.manifest.get("schema"), documents=documents, passages=passages, files=files,
        size_bytes=index_size(session.index_dir),
        documents_by_kind=dict(sorted(documents_by_kind.items())),
        passages_by_kind=dict(sorted(passages_by_kind.items())),
        documents_by_year=_sorted_counts(documents_by_year),
        passages_by_year=_sorted_counts(passages_by_year))


def index_size(index_dir: str | Path) -> int:
    """Bytes of the files in the index folder."""
    total = 0
    for entry in Path(index_dir).iterdir():
        try:
            if entry.is_file():
                total += entry.stat().st_size
        except OSError:
            continue
    return total
