"""The block-compressed stored-fields column reads back every value it was given."""

import io

from hypothesis import given, strategies as st
from whoosh.filedb.structfile import StructFile

from beleidzoek.index.stored_fields import BLOCK_RECORDS, DICTIONARY_BYTES, BlockCompressedColumn


def _written(values: dict[int, bytes], doccount: int):
    """A reader over a column holding ``values`` (docnum -> bytes) of ``doccount`` documents."""
    column = BlockCompressedColumn()
    buffer = io.BytesIO()
    writer = column.writer(StructFile(buffer))
    for docnum in sorted(values):
        writer.add(docnum, values[docnum])
    writer.finish(doccount)
    data = buffer.getvalue()
    return column.reader(StructFile(io.BytesIO(data)), 0, len(data), doccount), len(data)


values_by_docnum = st.dictionaries(st.integers(0, 5 * BLOCK_RECORDS), st.binary(max_size=300), max_size=120)


@given(values_by_docnum, st.randoms(use_true_random=False))
def test_every_value_reads_back_in_any_order(values, random):
    doccount = max(values, default=-1) + 1 + random.randrange(3)
    reader, _ = _written(values, doccount)
    docnums = list(range(doccount))
    random.shuffle(docnums)
    for docnum in docnums:
        assert reader[docnum] == values.get(docnum, b"")
    assert list(reader) == [values.get(docnum, b"") for docnum in range(doccount)]


def test_records_past_the_dictionary_compress_against_it():
    record = b"{'doc_kind': 'kamervraag', 'path': '/corpus/kamervragen/2023Z01234.txt', 'text': 'De minister"
    values = {docnum: record + str(docnum).encode() for docnum in range(4 * DICTIONARY_BYTES // len(record))}
    reader, size = _written(values, len(values))
    assert all(reader[docnum] == value for docnum, value in values.items())
    assert size < sum(map(len, values.values())) / 20
