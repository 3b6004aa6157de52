"""A block laid out by ``block_codec`` reads back as it was written, through
Whoosh's unpickling and through the scorer's partial read, and moves whole
when a merge shifts its docnums."""

import pickle
import zlib
from array import array

from hypothesis import given
from hypothesis import strategies as st

from beleidzoek.index import block_codec
from beleidzoek.index.block_codec import column_bytes, packed, shifted, split

FLOAT32 = st.floats(0.5, 1000.0, width=32)
GAPS = st.lists(st.integers(1, 2 ** 32 - 1), max_size=127).flatmap(
    lambda rest: st.tuples(st.integers(0, 2 ** 32 - 1), st.just(rest)))
WEIGHTS = st.one_of(st.none(), FLOAT32, st.lists(FLOAT32, min_size=128, max_size=128))
VALUES = st.one_of(st.none(), st.binary(max_size=40),
                   st.lists(st.binary(min_size=1, max_size=12), min_size=128, max_size=128))


def _block(first_and_rest, weights, values):
    first, rest = first_and_rest
    gaps = (first, *rest)
    if isinstance(weights, list):
        weights = tuple(weights[:len(gaps)])
    if isinstance(values, list):
        values = tuple(values[:len(gaps)])
    return gaps, weights, values


def _expanded(weights, count):
    if weights is None or isinstance(weights, float):
        return [1.0 if weights is None else weights] * count
    return list(weights)


@given(GAPS, WEIGHTS, VALUES, st.sampled_from([0, 1, 6]))
def test_a_block_reads_back_whole_and_in_part(first_and_rest, weights, values, level):
    gaps, weights, values = _block(first_and_rest, weights, values)
    body = packed(gaps, weights, values)
    data = zlib.compress(body, level) if level else body
    # Whoosh's matcher: decompress, unpickle, index the first three.
    read_gaps, read_weights, read_values = pickle.loads(zlib.decompress(data) if level else data)
    assert list(read_gaps) == list(gaps)
    assert list(read_weights) == _expanded(weights, len(gaps))
    assert read_values == values
    # beleidzoek's block reader: the same, without the pickle's global.
    assert block_codec.unpacked(zlib.decompress(data) if level else data) == (read_gaps, read_weights, read_values)
    # The scorer: the columns alone.
    first, typecode, gap_bytes, weight_bytes = split(column_bytes(data, level, len(gaps)))
    assert first == gaps[0]
    assert list(array(typecode, gap_bytes)) == list(gaps[1:])
    assert typecode == ("H" if max(gaps[1:], default=0) < 1 << 16 else "I")
    assert list(array("f", weight_bytes)) == _expanded(weights, len(gaps))


@given(GAPS, st.integers(0, 2 ** 20))
def test_a_shift_moves_the_first_docnum_alone(first_and_rest, shift):
    gaps, weights, values = _block(first_and_rest, None, None)
    gaps = (gaps[0] % (2 ** 32 - shift),) + gaps[1:]
    moved = pickle.loads(shifted(packed(gaps, weights, values), shift))
    assert list(moved[0]) == [gaps[0] + shift, *gaps[1:]]


def test_the_scorer_decompresses_no_further_than_the_columns():
    values = tuple(bytes([n % 251]) * 40 for n in range(128))
    data = zlib.compress(packed(tuple(range(128)), None, values), 6)
    whole = zlib.decompress(data)
    needed = column_bytes(data, 6, 128)
    assert len(needed) < len(whole) / 4
    assert whole[block_codec.COLUMNS_AT:].startswith(needed)


def test_whoosh_layout_blocks_are_left_to_the_pickle():
    old = pickle.dumps(((5, 1, 2), None, (b"a", b"b", b"c")), 3)
    assert column_bytes(old, 0, 3) is None
    assert shifted(old, 10) is None
    assert block_codec.unpacked(old) is None
