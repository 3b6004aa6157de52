"""The Whoosh schema: what is searchable, filterable and stored.

One index holds three kinds of record, told apart by the ``record`` field:
``passage`` (what searches return), ``document`` (metadata for ``show``) and
``file`` (path and content hash, for incremental indexing). Keeping them in one
index makes a commit atomic: a file's passages and its hash land together.
Only passages have text fields, so text queries never match the other records.
"""

from __future__ import annotations

import json

from whoosh.analysis import SimpleAnalyzer
from whoosh.columns import RefBytesColumn
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from ..corpus.kinds import passage_id
from .analysis import AnalysisConfig, parts_analyzer, text_analyzer

PASSAGE, DOCUMENT, FILE = "passage", "document", "file"

#: Fields users may name in queries (``kind:answer``) besides the text fields.
FILTER_FIELDS = ("kind", "doc_kind", "doc_id", "number", "date", "year", "submitter",
                 "party", "ministry", "topic")


def day_number(iso: str) -> int:
    """An ISO date as the number YYYYMMDD (``day`` field): a range of those is a
    handful of Whoosh trie terms, where a range of ISO strings is one term per
    distinct date (thousands in a big index, and seconds per filtered query)."""
    return int(iso.replace("-", ""))


#: Metadata the document record has as fields of its own, so ``meta`` leaves them out.
IN_RECORD = {"doc_id": "doc_id", "kind": "doc_kind", "date": "date", "path": "path"}


def record_meta(fields: dict) -> dict:
    """The metadata of a document record's stored ``fields`` ({} when unreadable);
    indexes of schema 4 keep all of it in ``meta``."""
    try:
        meta = json.loads(fields.get("meta") or "{}")
    except ValueError:
        return {}
    if not isinstance(meta, dict):
        return {}
    own = {name: fields[field] for name, field in IN_RECORD.items() if fields.get(field) is not None}
    return {**own, **meta}


def stored_passage_id(fields: dict) -> str:
    """The id of the passage with these stored fields (indexes of schema 4 store it)."""
    return fields.get("passage_id") or passage_id(fields.get("doc_id", ""), fields.get("position") or 0)


class DateColumn(ID):
    """An ISO date, stored and sortable but not indexed: ``date:`` and
    ``--since``/``--until`` search the ``day`` field (see :func:`day_number`),
    and a term per distinct date would only cost index size."""

    indexed = False


def build_schema(config: AnalysisConfig | None = None):
    """The schema for an index analysed with ``config``."""
    config = config or AnalysisConfig()
    text = text_analyzer(config)
    keyword = dict(commas=True, lowercase=True, stored=True, scorable=False)
    return Schema(
        record=ID(),
        passage_id=ID(stored=True, unique=True),  # document and file records (see stored_passage_id)
        doc_id=ID(stored=True, sortable=True),
        path=ID(stored=True),
        digest=ID(stored=True),
        doc_kind=ID(stored=True),
        # A column of few distinct values (kinds, dates): one or two bytes per record,
        # where Whoosh's default column stores each value and its length.
        kind=ID(stored=True, sortable=RefBytesColumn()),
        number=ID(stored=True),
        # One term per value (shift_step=32) where no range spans many values: Whoosh's
        # default writes eight trie terms per number, a tenth of all postings.
        position=NUMERIC(stored=True, sortable=True, shift_step=32),
        # Indexed in every passage, stored once: in the document record's ``meta``.
        title=TEXT(analyzer=text, field_boost=1.5),
        text=TEXT(analyzer=text, stored=True),
        parts=TEXT(analyzer=parts_analyzer(config), phrase=False),
        date=DateColumn(stored=True, sortable=RefBytesColumn()),  # under 65,535 dates per segment
        day=NUMERIC(int, bits=32),  # the date as a number, for ranges: see day_number
        year=NUMERIC(stored=True, sortable=True, shift_step=32),
        submitter=TEXT(analyzer=SimpleAnalyzer(), stored=True, phrase=True),
        party=KEYWORD(**dict(keyword, lowercase=False)),  # shown as printed in facets
        ministry=KEYWORD(**keyword),
        topic=KEYWORD(**keyword),
        source=STORED(),
        section=STORED(),
        question=STORED(),
        meta=STORED(),
    )
