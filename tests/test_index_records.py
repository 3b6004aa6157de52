"""Document records keep each piece of metadata once, and read back whole, in both layouts."""

import json

from beleidzoek.corpus.kamervraag import parse_kamervraag
from beleidzoek.index.records import document_from_fields, document_records
from beleidzoek.index.schema import build_schema, record_meta, stored_passage_id


def _seed(seeds_dir):
    path = seeds_dir / "kamervraag-2017Z07436.txt"
    doc = parse_kamervraag(path.read_text(encoding="utf-8"), path.stem)
    doc.path = str(path)
    return doc


def test_the_document_record_stores_each_field_once_and_reads_back_whole(seeds_dir):
    doc = _seed(seeds_dir)
    record, *passages = document_records(doc)
    meta = json.loads(record["meta"])
    assert not {"doc_id", "kind", "date", "path"} & set(meta)
    assert all(value is not None for value in meta.values())
    assert all("passage_id" not in p and "source" not in p for p in passages)
    assert not build_schema()["title"].stored and not build_schema()["date"].indexed
    back = document_from_fields(record_meta(record), passages)
    for name in ("doc_id", "kind", "title", "date", "path", "number", "submitters", "answerers"):
        assert getattr(back, name) == getattr(doc, name), name
    assert [p.text for p in back.passages] == [p.text for p in doc.passages]
    assert [stored_passage_id(p) for p in passages] == [f"{doc.doc_id}#{p.position}" for p in doc.passages]


def test_records_of_schema_4_read_the_same(seeds_dir):
    doc = _seed(seeds_dir)
    record, *_ = document_records(doc)
    full = {name: getattr(doc, name) for name in ("doc_id", "kind", "title", "date", "path", "number")}
    old = {"doc_id": doc.doc_id, "doc_kind": doc.kind, "meta": json.dumps(full)}
    assert {k: record_meta(old)[k] for k in full} == {k: record_meta(record)[k] for k in full}
    assert stored_passage_id({"passage_id": "x#3", "doc_id": "y", "position": 1}) == "x#3"
