"""Turning documents into index records, and records back into documents.

The index is the only thing ``show`` and ``search`` read, so a document's
metadata travels with it as a ``document`` record, and every passage carries
the fields needed to filter on it. A hit's title and source are read from
its document's record (one look-up per hit shown), not stored per passage,
and a passage's id is its document's id and its position
(:func:`.schema.stored_passage_id`): a term per passage would be a tenth of the index.
"""

from __future__ import annotations

import json

from ..corpus.model import Document, Passage
from .schema import DOCUMENT, FILE, IN_RECORD, PASSAGE, day_number

_META_FIELDS = ("doc_id", "kind", "title", "date", "source", "path", "number", "submitted",
                "answered", "submitters", "answerers", "topics", "categories", "extra")


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date and date[:4].isdigit() else None


def _keywords(values: list[str]) -> str:
    """A comma-separated keyword value; commas inside one value ("volksgezondheid,
    welzijn en sport") would split it, so they go."""
    return ",".join(" ".join(value.replace(",", " ").split()) for value in values)


def _shared_fields(doc: Document) -> dict:
    fields = {
        "doc_id": doc.doc_id,
        "path": doc.path or "",
        "doc_kind": doc.kind,
        "title": doc.title,
        "date": doc.date,
        "day": day_number(doc.date) if doc.date else None,
        "year": _year(doc.date),
        "submitter": ", ".join(doc.submitters),
        "party": _keywords(doc.parties),
        "ministry": _keywords(doc.ministries),
        "topic": _keywords(doc.topics),
    }
    return {name: value for name, value in fields.items() if value not in (None, "")}


#: Fields of the document record besides its metadata: what deletes, ``show`` and
#: ``stats`` look up. Its title and names live in ``meta`` only, since searches
#: return passages and analysing them again per document costs build time.
_DOCUMENT_FIELDS = ("doc_id", "path", "doc_kind", "date", "year")


def document_records(doc: Document) -> list[dict]:
    """The document record followed by one record per passage."""
    shared = _shared_fields(doc)
    document = {name: shared[name] for name in _DOCUMENT_FIELDS if name in shared}
    meta = {name: value for name in _META_FIELDS
            if name not in IN_RECORD and (value := getattr(doc, name)) is not None}
    records = [dict(document, record=DOCUMENT, passage_id=f"{doc.doc_id}#doc",
                    meta=json.dumps(meta, ensure_ascii=False))]
    for passage in doc.passages:
        record = dict(shared, record=PASSAGE, kind=passage.kind, position=passage.position,
                      text=passage.text, parts=passage.text)
        for name in ("number", "section", "question"):
            if value := getattr(passage, name):
                record[name] = value
        records.append(record)
    return records


def file_record(path: str, digest: str) -> dict:
    return {"record": FILE, "passage_id": f"file:{path}", "path": path, "digest": digest}


def document_from_fields(meta: dict, passages: list[dict]) -> Document:
    """Rebuild a document from its metadata (:func:`.schema.record_meta`) and its stored passage fields."""
    doc = Document(**{name: meta.get(name) for name in _META_FIELDS
                      if meta.get(name) is not None})
    doc.passages = [Passage(kind=p["kind"], text=p["text"], position=p["position"],
                            number=p.get("number"), section=p.get("section"),
                            question=p.get("question"))
                    for p in sorted(passages, key=lambda p: p["position"])]
    return doc
