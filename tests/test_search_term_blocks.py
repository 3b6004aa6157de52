"""TermBlocks reads what Whoosh's matcher reads: every posting, weight and
value of a term, block by block, with each block's statistics true of its
postings, and nothing of a deleted document."""

import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.formats import Positions
from whoosh.util.numeric import byte_to_length, length_to_byte

from beleidzoek.index.storage import open_index
from beleidzoek.index.writer import index_paths
from beleidzoek.search.term_blocks import TermBlocks, position_decoder, term_info


def _matched(reader, fieldname, text):
    matcher = reader.postings(fieldname, text)
    postings = []
    while matcher.is_active():
        postings.append((matcher.id(), matcher.weight(), matcher.value()))
        matcher.next()
    return postings


def _read(blocks):
    postings = []
    for number in range(len(blocks)):
        ids, weights, values = blocks.block(number)
        postings += zip(ids, weights, values)
    return postings


def _check_terms(reader, every: int) -> int:
    checked = 0
    for number, ((fieldname, text), info) in enumerate(reader._terms.items()):
        if number % every:
            continue
        blocks = TermBlocks.of(reader, fieldname, text)
        assert blocks is not None, (fieldname, text)
        assert _read(blocks) == _matched(reader, fieldname, text), (fieldname, text)
        for block in range(len(blocks)):
            ids, weights, _ = blocks.block(block)
            if not ids:
                continue
            head = blocks.head(block)
            assert max(ids) <= head.last_id == blocks.last_id(block)
            assert max(weights) <= head.max_weight
            assert len(ids) <= head.count
            if fieldname == "text":
                shortest = min(byte_to_length(length_to_byte(reader.doc_field_length(d, "text"))) for d in ids)
                assert head.min_length <= shortest
        assert sum(blocks.head(block).count for block in range(len(blocks))) == blocks.size
        checked += 1
    return checked


def test_blocks_hold_what_whooshs_matcher_reads(finding_searcher):
    readers = [leaf.reader() for leaf, _ in finding_searcher.whoosh_searcher.leaf_searchers()]
    kinds = {"inlined": 0, "one block": 0, "several": 0}
    assert sum(_check_terms(reader, every=23) for reader in readers) > 1000
    for reader in readers:
        for (fieldname, text), info in list(reader._terms.items())[::97]:
            blocks = TermBlocks.of(reader, fieldname, text)
            kinds["inlined" if info.is_inlined() else "one block" if len(blocks) == 1 else "several"] += 1
    assert all(kinds.values()), kinds


def test_blocks_leave_out_deleted_documents(tmp_path, seeds_dir, corpus_dir):
    folder = tmp_path / "index"
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir / "kamervragen", corpus)
    index_paths(folder, [corpus])
    ix = open_index(folder)
    with ix.reader() as reader:
        doc_id = next(iter(reader.lexicon("doc_id"))).decode()
    writer = ix.writer()
    writer.delete_by_term("doc_id", doc_id)
    writer.commit(merge=False)
    with open_index(folder).reader() as reader:
        leaves = [leaf for leaf, _ in reader.leaf_readers()] if hasattr(reader, "leaf_readers") else [reader]
        assert any(leaf.has_deletions() for leaf in leaves)
        for leaf in leaves:
            if leaf.has_deletions():
                assert _check_terms(leaf, every=7) > 100
                deleted = leaf.deleted_docs_set
                blocks = TermBlocks.of(leaf, "record", "passage")
                assert not deleted & {d for n in range(len(blocks)) for d in blocks.block(n)[0]}


@pytest.mark.parametrize("fieldname, text", [("text", "zzzqqq"), ("nofield", "x")])
def test_no_blocks_for_a_term_a_segment_lacks(finding_searcher, fieldname, text):
    leaf, _ = finding_searcher.whoosh_searcher.leaf_searchers()[0]
    assert TermBlocks.of(leaf.reader(), fieldname, text) is None



def _common_terms(searcher, count: int):
    """The ``count`` text terms with the most postings in the largest segment, and its reader."""
    reader = max((leaf.reader() for leaf, _ in searcher.whoosh_searcher.leaf_searchers()),
                 key=lambda r: r.doc_count_all())
    terms = sorted(((info.doc_frequency(), text) for (fieldname, text), info in reader._terms.items()
                    if fieldname == "text"), reverse=True)
    return reader, [text for _, text in terms[:count]]


@pytest.fixture(scope="module")
def common_postings(finding_searcher):
    """The largest segment's reader, and Whoosh's postings of its five commonest text terms."""
    reader, terms = _common_terms(finding_searcher, 5)
    return reader, {text: {docnum: (weight, value) for docnum, weight, value in _matched(reader, "text", text)}
                    for text in terms}


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_postings_among_are_the_postings_of_the_chosen_documents(common_postings, data):
    """Sparse choices take the bisection path, dense ones the pass over a block: both give Whoosh's postings."""
    reader, postings = common_postings
    text = data.draw(st.sampled_from(sorted(postings)))
    everything = postings[text]
    share = data.draw(st.sampled_from([0.002, 0.05, 0.5, 1.0]))
    chosen = sorted(data.draw(st.sets(st.integers(0, reader.doc_count_all() - 1),
                                      max_size=max(1, int(share * reader.doc_count_all())))))
    blocks = TermBlocks.of(reader, "text", text)
    assert blocks.postings_among(chosen) == {d: everything[d] for d in chosen if d in everything}
    assert blocks.positions(chosen) == {d: everything[d][1] for d in chosen if d in everything}
    assert blocks.postings_among() == everything


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 5000), min_size=1, max_size=40).map(sorted))
def test_position_decoder_reads_what_whoosh_decodes(positions):
    encoded = Positions().encode(positions)
    assert position_decoder(Positions())(encoded) == Positions().decode_positions(encoded) == positions
    assert position_decoder(Positions())(encoded[:-1]) == positions


def test_term_info_is_the_readers_and_none_for_a_missing_term(finding_searcher):
    reader, terms = _common_terms(finding_searcher, 1)
    info = term_info(reader, "text", terms[0])
    assert info.doc_frequency() == reader.term_info("text", terms[0]).doc_frequency()
    assert term_info(reader, "text", terms[0]) is info
    assert term_info(reader, "text", "zzzqqq") is None
    assert term_info(reader, "nofield", "x") is None


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_blocks_among_a_few_documents_are_found_from_a_few_headers(common_postings, data):
    """A common word's blocks are searched by their last docnums, guessed and
    galloped to: the blocks found are those a pass over every header finds,
    and a few documents parse a few headers."""
    reader, postings = common_postings
    text = data.draw(st.sampled_from(sorted(postings)))
    every = TermBlocks.of(reader, "text", text)
    last_ids = [every.head(number).last_id for number in range(len(every))]
    docs = sorted(data.draw(st.sets(st.integers(0, reader.doc_count_all() - 1), min_size=1, max_size=10)))
    expected, i = [], 0
    for number, last_id in enumerate(last_ids):
        j = i
        while j < len(docs) and docs[j] <= last_id:
            j += 1
        if j > i:
            expected.append((number, i, j))
            i = j
    blocks = TermBlocks.of(reader, "text", text)
    assert list(blocks.among(docs)) == expected
    assert sum(span is not None for span in blocks._spans) <= 2 + 4 * len(docs)
