"""Segment files read in place answer exactly as Whoosh's copies of them do."""

import io
import pickle

from hypothesis import given
from hypothesis import strategies as st

from beleidzoek.index.mapped import MappedStorage, _Reader, _View

_OPS = st.lists(st.one_of(
    st.tuples(st.just("read"), st.one_of(st.none(), st.integers(-2, 40))),
    st.tuples(st.just("readline"), st.one_of(st.none(), st.integers(-2, 40))),
    st.tuples(st.just("seek"), st.integers(-5, 60), st.sampled_from([0, 1, 2])),
    st.tuples(st.just("tell"),),
), max_size=30)


def _run(f, ops) -> list:
    out = []
    for name, *args in ops:
        try:
            out.append(getattr(f, name)(*args))
        except ValueError:
            out.append("ValueError")
    return out


@given(st.binary(max_size=600).map(lambda b: b.replace(b"\x00", b"\n")), _OPS)
def test_reader_reads_as_bytesio_does(data, ops):
    assert _run(_Reader(memoryview(data)), ops) == _run(io.BytesIO(data), ops)


@given(st.lists(st.one_of(st.integers(), st.text(max_size=300), st.binary(max_size=2000),
                         st.lists(st.integers(), max_size=200)), max_size=8))
def test_pickles_load_one_after_another(values):
    data = b"".join(pickle.dumps(value, protocol) for value, protocol in zip(values, [2, 4, 5] * 3))
    reader = _Reader(memoryview(data + b"tail"))
    assert [pickle.load(reader) for _ in values] == values
    assert reader.read() == b"tail"


def test_long_lines_are_read_whole():
    data = b"x" * 1000 + b"\nrest"
    reader = _Reader(memoryview(data))
    assert reader.readline() == data[:1001] and reader.read() == b"rest"


def test_an_index_opens_with_views_and_searches_as_whoosh_does(finding_index):
    from whoosh.filedb.filestore import FileStorage

    from beleidzoek.index.storage import INDEX_NAME

    mapped = MappedStorage(str(finding_index)).open_index(INDEX_NAME)
    plain = FileStorage(str(finding_index)).open_index(INDEX_NAME)
    with mapped.searcher() as ours, plain.searcher() as whoosh:
        leaf = ours.leaf_searchers()[0][0].reader()
        assert isinstance(leaf._terms._dbfile, _View)
        for field, text in [("text", "gemeent"), ("kind", "answer"), ("record", "document")]:
            assert list(ours.postings(field, text).all_ids()) == \
                list(whoosh.postings(field, text).all_ids())
        assert ours.stored_fields(5) == whoosh.stored_fields(5)
        assert ours.doc_count() == whoosh.doc_count()


def test_column_offsets_are_whooshs(finding_index):
    from whoosh.columns import VarBytesColumn

    from beleidzoek.index import column_offsets
    from beleidzoek.index.storage import open_index

    reader = open_index(finding_index).reader()  # opening installs column_offsets
    assert VarBytesColumn.Reader._read_offsets_and_lengths is column_offsets._read_offsets_and_lengths
    for leaf, _ in reader.leaf_readers():
        for column in (leaf.column_reader("doc_id", translate=False),):
            base, expected = 0, []
            for length in column._lengths:  # Whoosh's own loop
                expected.append(base)
                base += length
            assert list(column._offsets) == expected and column._offsets.typecode == "L"
