"""A term's columns read back as written, as Python lists and as the arrays
scoring uses, whatever the sizes of its gaps and frequencies."""

from hypothesis import given
from hypothesis import strategies as st

from beleidzoek.index.term_columns import encoded, lists
from beleidzoek.search.dense_scores import _column_arrays

GAPS = st.one_of(st.integers(1, 300), st.integers(1, 2 ** 16 - 1), st.integers(1, 2 ** 26))
WHOLE = st.integers(1, 255).map(float)
FRACTIONAL = st.floats(0.25, 3000.0, width=32)


@given(st.integers(0, 2 ** 20), st.lists(GAPS, min_size=0, max_size=400),
       st.one_of(st.just("whole"), st.just("fractional")), st.data())
def test_columns_read_back_as_lists_and_arrays(first, gaps, kind, data):
    ids = [first]
    for gap in gaps:
        ids.append(ids[-1] + gap)
    weights = data.draw(st.lists(WHOLE if kind == "whole" else FRACTIONAL, min_size=len(ids),
                                 max_size=len(ids)))
    columns = encoded(ids, weights, 6)
    read_ids, read_weights = lists(columns)
    assert read_ids == ids
    assert list(read_weights) == weights
    docs, frequencies = _column_arrays(columns)
    assert docs.tolist() == ids
    assert frequencies.tolist() == weights


def test_whole_frequencies_take_a_byte_and_small_gaps_compress_to_less():
    ids = list(range(0, 40_000, 7))
    assert len(encoded(ids, [1.0] * len(ids), 6)) < len(ids) * 0.1
    whole = [float(i % 5 + 1) for i in range(len(ids))]
    assert len(encoded(ids, [w + 0.5 for w in whole], 6)) > len(encoded(ids, whole, 6))
