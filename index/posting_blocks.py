"""One term's postings in Whoosh 3's on-disk block format, written in one go.

Whoosh's postings writer builds a term-info object and a block buffer per
term and computes each block's statistics posting by posting; for the tens
of thousands of terms with a posting or two that is most of a flush. This is
the same format (``whoosh.codec.whoosh3``: a magic header, then per block a
length, a pickled info tuple and the pickled, optionally zlib-compressed,
``(delta ids, weights, values)``; the term info packed after it) computed
from slices. ``tests/test_index_segment_writer.py`` holds it to Whoosh's
output.
"""

from __future__ import annotations

import struct
import zlib
from array import array
from pickle import dumps

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte

#: Postings per block, as Whoosh's W3Codec (``blocklimit``).
BLOCK_SIZE = 128
#: Postings a term needs before its blocks are compressed: zlib's setup costs
#: more than it saves on a handful of postings (each block says whether it was used).
COMPRESS_FROM = 8
_TERM_INFO = struct.Struct("!BfIBBfII")  # W3TermInfo: flags, weight, df, min/max length, max weight, ids


def write_term(postfile, tindex, key: bytes, postings: list, lengths: dict[int, int],
               compression: int, value_size: int | None) -> None:
    """Write ``postings`` (``(docnum, weight, value)`` in docnum order) of the term
    ``key`` (field number + term bytes): the blocks to ``postfile``, the term info to ``tindex``.

    ``lengths`` are the quantized field lengths by docnum; ``value_size`` is the
    field format's ``fixed_value_size()``.
    """
    ids, weights, values = zip(*postings)
    count = len(ids)
    level = compression if count >= COMPRESS_FROM else 0
    start = postfile.tell()
    postfile.write(WHOOSH3_HEADER_MAGIC)
    total_weight, max_weight, min_length, max_length = 0.0, 0, None, 0
    for first in range(0, count, BLOCK_SIZE):
        last = min(first + BLOCK_SIZE, count)
        block_ids = ids[first:last]
        block_weights = array("f", weights[first:last])
        total_weight += sum(block_weights)
        block_max = max(0, *block_weights)
        known = [lengths[docnum] for docnum in block_ids if docnum in lengths]
        block_min_length = min(known) if known else None
        block_max_length = max(known) if known else 0
        data = dumps((_deltas(block_ids), _mini_weights(block_weights),
                      _mini_values(values[first:last], value_size)), 2)
        if level:
            data = zlib.compress(data, level)
        info = dumps((len(block_ids), block_ids[-1], block_max, level,
                      length_to_byte(block_min_length), length_to_byte(block_max_length)), 2)
        size = len(info) + len(data)
        postfile.write(pack_int(-size if last == count else size))
        postfile.write(info)
        postfile.write(data)
        max_weight = max(max_weight, block_max)
        if min_length is None:
            min_length = block_min_length
        elif block_min_length is not None:
            min_length = min(min_length, block_min_length)
        max_length = max(max_length, block_max_length)
    term_info = _TERM_INFO.pack(0, total_weight, count,
                                0 if min_length is None else length_to_byte(min_length),
                                length_to_byte(max_length), max_weight, ids[0], ids[-1])
    tindex.add(key, term_info + pack_long(start) + pack_int(postfile.tell() - start))


def field_key(fieldid: int, term: bytes) -> bytes:
    return pack_ushort(fieldid) + term


def _deltas(ids: tuple) -> tuple:
    return (ids[0],) + tuple(b - a for a, b in zip(ids, ids[1:]))


def _mini_weights(weights: array):
    first = weights[0]
    if first == 1.0 and weights.count(1.0) == len(weights):
        return None
    if weights.count(first) == len(weights):
        return first
    return tuple(weights)


def _mini_values(values: tuple, value_size: int | None):
    present = [value for value in values if value]
    if value_size is None or value_size < 0:
        return tuple(present)
    if value_size == 0:
        return None
    return b"".join(present)
