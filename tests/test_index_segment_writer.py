"""The block segment writer must write what Whoosh's own SegmentWriter writes.

Both are fed the same real records (the seeds and the corpus's Kamervragen),
ours through the codec indexing uses, Whoosh's through its own; every posting
(field, term, docnum, weight, encoded value), every stored field, every field
length, every block's and every sampled term's statistics must be equal.
"""

from pathlib import Path

import pytest
from whoosh.matching import ListMatcher
from whoosh.writing import SegmentWriter

from beleidzoek.corpus.walk import find_files, iter_file
from beleidzoek.corpus.model import Skipped
from beleidzoek.index.codec import WritingCodec
from beleidzoek.index.records import document_records
from beleidzoek.index.posting_blocks import BLOCK_SIZE, INLINE_UP_TO
from beleidzoek.index.segment_writer import BlockSegmentWriter
from beleidzoek.index.storage import create_index
from beleidzoek.index.term_postings import field_items


def _records(paths):
    for path in find_files(paths):
        for item in iter_file(path, notices=[]):
            if not isinstance(item, Skipped):
                item.path = str(path)
                yield from document_records(item)


@pytest.fixture(scope="module")
def records(corpus_dir, seeds_dir):
    return list(_records([seeds_dir, corpus_dir / "kamervragen"]))


def _build(folder: Path, writer_class, records, batches: int = 1, delete: str | None = None):
    """An index of ``records`` committed in ``batches``; with more than one, then
    merged into one segment (after deleting the document ``delete``)."""
    ix = create_index(folder, None)
    options = {"codec": WritingCodec()} if writer_class is BlockSegmentWriter else {}
    size = -(-len(records) // batches)
    for start in range(0, len(records), size):
        writer = writer_class(ix, **options)
        for record in records[start:start + size]:
            writer.add_document(**record)
        writer.commit(merge=False)
    if batches > 1:
        writer = writer_class(ix, **options)
        if delete:
            writer.delete_by_term("doc_id", delete)
        writer.commit(optimize=True)
    return ix.reader()


def _blocks(reader, fieldname, text):
    matcher = reader.postings(fieldname, text)
    if isinstance(matcher, ListMatcher):  # postings inlined in the term info: one block
        return [(matcher.block_min_length(), matcher.block_max_length(), matcher.block_max_weight(),
                 reader.term_info(fieldname, text).max_id())]
    stats = []
    while matcher.is_active():
        stats.append((matcher.block_min_length(), matcher.block_max_length(),
                      matcher.block_max_weight(), matcher.block_max_id()))
        matcher.skip_to(matcher.block_max_id() + 1)
    return stats


@pytest.mark.parametrize("batches, delete", [(1, None), (3, None), (3, "2017Z07436")],
                         ids=["one-segment", "merged", "merged-after-a-delete"])
def test_postings_stored_fields_and_block_statistics_equal_whooshs(tmp_path, records, batches, delete):
    assert len(records) > 500
    whoosh = _build(tmp_path / "whoosh", SegmentWriter, records, batches, delete)
    ours = _build(tmp_path / "ours", BlockSegmentWriter, records, batches, delete)
    assert not hasattr(ours, "readers")  # one segment, not a MultiReader
    assert list(ours.iter_postings()) == list(whoosh.iter_postings())
    count = whoosh.doc_count_all()
    assert ours.doc_count_all() == count
    for docnum in range(count):
        assert ours.stored_fields(docnum) == whoosh.stored_fields(docnum)
        for fieldname in ("text", "title", "parts"):
            assert ours.doc_field_length(docnum, fieldname) == whoosh.doc_field_length(docnum, fieldname)
    for fieldname, text in list(whoosh.all_terms())[::50]:
        if batches == 1:  # a merge keeps each segment's blocks, so their borders differ
            assert _blocks(ours, fieldname, text) == _blocks(whoosh, fieldname, text), (fieldname, text)
        assert _term_info(ours, fieldname, text) == _term_info(whoosh, fieldname, text), (fieldname, text)


@pytest.mark.parametrize("batches", [1, 3], ids=["one-segment", "merged"])
def test_terms_with_few_postings_keep_them_in_their_term_info(tmp_path, records, batches):
    ours = _build(tmp_path / "ours", BlockSegmentWriter, records, batches)
    by_inlined = {True: set(), False: set()}
    for (fieldname, text), info in ours._terms.items():
        by_inlined[info.is_inlined()].add(info.doc_frequency())
    assert by_inlined[True] == set(range(1, INLINE_UP_TO + 1))
    assert min(by_inlined[False]) == INLINE_UP_TO + 1


def test_a_merge_leaves_no_two_partly_filled_blocks_side_by_side(tmp_path, records):
    from beleidzoek.search.term_blocks import TermBlocks

    ours = _build(tmp_path / "ours", BlockSegmentWriter, records, batches=6)
    merged_rare_terms = 0
    for (fieldname, text), info in ours._terms.items():
        if info.is_inlined():
            continue
        blocks = TermBlocks.of(ours, fieldname, text)
        counts = [blocks.head(number).count for number in range(len(blocks))]
        partial = [count < BLOCK_SIZE for count in counts]
        assert not any(a and b for a, b in zip(partial, partial[1:])), (fieldname, text, counts)
        merged_rare_terms += len(counts) == 1 and info.doc_frequency() > 2 * INLINE_UP_TO
    assert merged_rare_terms > 100


@pytest.mark.parametrize("batches", [1, 4], ids=["one-segment", "merged"])
def test_a_terms_columns_after_its_blocks_hold_its_postings(tmp_path, records, batches):
    """Columns are read in place of the blocks: they must hold what Whoosh's
    matcher reads from the blocks, docnum for docnum and frequency for frequency."""
    from beleidzoek.index.posting_blocks import block_spans, posting_list, trailing_columns
    from beleidzoek.index.term_columns import COLUMNS_FROM, lists
    from beleidzoek.search.term_blocks import term_columns

    ours = _build(tmp_path / "ours", BlockSegmentWriter, records, batches)
    with_columns = 0
    for (fieldname, text), info in ours._terms.items():
        if info.is_inlined():
            continue
        raw = posting_list(ours._terms._postfile, info)  # walked to the end of the blocks
        after_the_blocks = trailing_columns(raw, block_spans(raw))
        found = lists(after_the_blocks) if after_the_blocks else None
        from_the_end = term_columns(ours, fieldname, text)  # read without walking the blocks
        scored = bool(ours.schema[fieldname].scorable)
        assert (found is not None) == (scored and info.doc_frequency() >= COLUMNS_FROM), (fieldname, text)
        assert (from_the_end is not None) == (found is not None)
        if found is None:
            continue
        assert lists(from_the_end) == found
        matcher = ours.postings(fieldname, text)
        expected = []
        while matcher.is_active():
            expected.append((matcher.id(), matcher.weight()))
            matcher.next()
        assert list(zip(*found)) == expected, (fieldname, text)
        with_columns += 1
    assert with_columns > 20


def _term_info(reader, fieldname, text):
    info = reader.term_info(fieldname, text)
    return (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
            info.max_weight(), info.min_id(), info.max_id())


def test_field_items_equal_whooshs_field_index(records):
    from beleidzoek.index.schema import build_schema

    schema = build_schema()
    compared = 0
    for record in records:
        for fieldname, value in record.items():
            field = schema[fieldname]
            if value is None or not field.indexed:
                continue
            items, length = field_items(field, value)
            expected = list(field.index(value))
            assert sorted(items) == sorted(expected), (fieldname, value[:80])
            if field.scorable:
                assert length == sum(freq for _, freq, _, _ in expected)
            compared += 1
    assert compared > 5000


def _stored_column_bytes(reader) -> int:
    return reader._perdoc._get_column_file("_stored")[2]


def test_stored_fields_take_under_half_of_whooshs_bytes(tmp_path, records):
    whoosh = _build(tmp_path / "whoosh", SegmentWriter, records)
    ours = _build(tmp_path / "ours", BlockSegmentWriter, records)
    assert _stored_column_bytes(ours) < 0.5 * _stored_column_bytes(whoosh)
