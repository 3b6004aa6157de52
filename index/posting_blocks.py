"""One term's postings in Whoosh 3's on-disk block format, written in one go.

Whoosh's postings writer builds a term-info object and a block buffer per
term and computes each block's statistics posting by posting; for the tens
of thousands of terms with a posting or two that is most of a flush. This is
the same format (``whoosh.codec.whoosh3``: a magic header, then per block a
length, a pickled info tuple and the pickled ``(delta ids, weights,
values)``; the term info packed after it) computed from slices, with the
block data laid out by :mod:`.block_codec`: docnums and frequencies apart
from positions. A term's blocks can also come from another segment as they
are (:func:`copied_blocks`): only the first docnum of each block changes, so
a merge decodes no full block; partly filled ones side by side are written
again as full ones (:func:`coalesced`). A term with a few postings keeps them
in its term info instead (:func:`write_inlined`), as the W3 format allows.
``tests/test_index_segment_writer.py`` holds both to Whoosh's output.
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from array import array
from dataclasses import dataclass, replace
from functools import partial
from itertools import accumulate
from pickle import dumps

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

from .block_codec import packed, shifted, unpacked

#: Postings per block, as Whoosh's W3Codec (``blocklimit``).
BLOCK_SIZE = 128
#: Postings a term needs before its blocks are compressed: zlib's setup costs
#: more than it saves on a handful of postings (each block says whether it was used).
COMPRESS_FROM = 8
#: Terms with this many postings or fewer keep them in their term info (W3's
#: inlined postings, which Whoosh's own writer only uses below ``inlinelimit=1``,
#: that is never). A posting list of its own costs a file pointer, a magic
#: header and a block header: 35 bytes more for a one-posting term, and a
#: third of a small segment's terms have one posting (1.6 MB of a 10k index).
INLINE_UP_TO = 3
#: Terms with this many postings or more lay their blocks out by
#: :mod:`.block_codec`, for fast scoring; the layout costs about 50 bytes a
#: block more than Whoosh's, which rare terms (a block each, read once per
#: query) would pay for nothing: a 100k index grew by 10%.
COLUMNS_FROM = BLOCK_SIZE
_TERM_INFO = struct.Struct("!BfIBBfII")  # W3TermInfo: flags, weight, df, min/max length, max weight, ids
_BLOCK_LENGTH = struct.Struct("!i")  # negative for a term's last block
#: A block: its info tuple ``(postings, last id, max weight, compression, min length byte,
#: max length byte)`` and its data bytes.
Block = tuple[tuple, bytes]


@dataclass
class TermStats:
    """What a term info records about a posting list (lengths as readers see them)."""

    weight: float
    count: int
    min_length: int | None
    max_length: int
    max_weight: float
    first_id: int
    last_id: int

    def add(self, other: "TermStats") -> None:
        """Extend with the statistics of postings that follow these."""
        self.weight += other.weight
        self.count += other.count
        if self.min_length is None or (other.min_length is not None and other.min_length < self.min_length):
            self.min_length = other.min_length
        self.max_length = max(self.max_length, other.max_length)
        self.max_weight = max(self.max_weight, other.max_weight)
        self.last_id = other.last_id


def summed(parts: list[TermStats]) -> TermStats:
    """The statistics of consecutive parts of a posting list (the parts unchanged)."""
    total = replace(parts[0])
    for part in parts[1:]:
        total.add(part)
    return total


def encoded_blocks(postings: list, lengths: dict[int, int], compression: int,
                   value_size: int | None) -> tuple[list[Block], TermStats]:
    """The blocks of ``postings`` (``(docnum, weight, value)`` in docnum order).

    ``lengths`` are the quantized field lengths by docnum; ``value_size`` is the
    field format's ``fixed_value_size()``.
    """
    ids, weights, values = zip(*postings)
    count = len(ids)
    level = compression if count >= COMPRESS_FROM else 0
    layout = packed if count >= COLUMNS_FROM else partial(_pickled, protocol=5 if level else 3)
    blocks = []
    stats = TermStats(0.0, 0, None, 0, 0, ids[0], ids[-1])
    for first in range(0, count, BLOCK_SIZE):
        block_ids = ids[first:first + BLOCK_SIZE]
        block_weights = array("f", weights[first:first + BLOCK_SIZE])
        block = _block_stats(block_ids, block_weights, lengths)
        blocks.append(encoded_block(block, block_ids, block_weights, values[first:first + BLOCK_SIZE],
                                    level, value_size, layout))
        stats.add(block)
    return blocks, stats


def postings_stats(postings: list, lengths: dict[int, int]) -> TermStats:
    """The statistics of ``postings`` (see :func:`encoded_blocks`), without encoding them."""
    ids, weights, _ = zip(*postings)
    return _block_stats(ids, array("f", weights), lengths)


def _block_stats(ids: tuple, weights: array, lengths: dict[int, int]) -> TermStats:
    known = [lengths[docnum] for docnum in ids if docnum in lengths]
    return TermStats(sum(weights), len(ids), min(known) if known else None, max(known) if known else 0,
                     max(0, *weights), ids[0], ids[-1])


def encoded_block(stats: TermStats, ids: tuple, weights: array, values: tuple, level: int,
                  value_size: int | None, layout=packed) -> Block:
    """One block of postings with its statistics ``stats``, laid out by
    ``layout`` (:func:`~.block_codec.packed` or Whoosh's pickle) and compressed
    at ``level`` (0: not)."""
    data = _compressed(layout(_deltas(ids), _mini_weights(weights), _mini_values(values, value_size)), level)
    return ((stats.count, stats.last_id, stats.max_weight, level,
             length_to_byte(stats.min_length), length_to_byte(stats.max_length)), data)


def coalesced(blocks: list[Block], compression: int, value_size: int | None) -> list[Block]:
    """A term's ``blocks`` (in docnum order) with each run of two or more partly
    filled blocks written again as full ones. A merge copies blocks as they
    are, so a segment merged from 33 others held a rare word's 171 postings in
    33 blocks (a part's tail, or its inlined postings, each), and a query pays
    per block read; full blocks are copied still."""
    out: list[Block] = []
    run: list[Block] = []
    for block in [*blocks, None]:
        if block is not None and block[0][0] < BLOCK_SIZE:
            run.append(block)
            continue
        if len(run) > 1:
            out += _reblocked(run, compression, value_size) or run
        else:
            out += run
        run = []
        if block is not None:
            out.append(block)
    return out


def _reblocked(run: list[Block], compression: int, value_size: int | None) -> list[Block] | None:
    """The postings of ``run`` in blocks of ``BLOCK_SIZE``; None when a block's
    values cannot be told apart per posting (variable-size values left empty).
    Block lengths are those of the run's blocks together: bounds, as the
    statistics of a block need only be."""
    ids, weights, values = [], array("f"), []
    for info, data in run:
        gaps, block_weights, block_values = _decoded(info, data)
        count = info[0]
        block_values = _per_posting(block_values, count, value_size)
        if block_values is None:
            return None
        ids += accumulate(gaps)
        weights.extend(_expanded(block_weights, count))
        values += block_values
    min_length = byte_to_length(min(info[4] for info, _ in run))
    max_length = byte_to_length(max(info[5] for info, _ in run))
    blocks = []
    for first in range(0, len(ids), BLOCK_SIZE):
        block_ids = tuple(ids[first:first + BLOCK_SIZE])
        block_weights = weights[first:first + BLOCK_SIZE]
        count = len(block_ids)
        stats = TermStats(sum(block_weights), count, min_length, max_length, max(0, *block_weights),
                          block_ids[0], block_ids[-1])
        level = compression if count >= COMPRESS_FROM else 0
        layout = packed if count >= COLUMNS_FROM else partial(_pickled, protocol=5 if level else 3)
        blocks.append(encoded_block(stats, block_ids, block_weights, values[first:first + BLOCK_SIZE],
                                    level, value_size, layout))
    return blocks


def _decoded(info: tuple, data: bytes) -> tuple:
    body = zlib.decompress(data) if info[3] else data
    found = unpacked(body)
    return found if found is not None else pickle.loads(body)


def _expanded(weights, count: int):
    """A block's stored weights one per posting."""
    if weights is None or isinstance(weights, float):  # one weight for every posting
        return [1.0 if weights is None else weights] * count
    return weights


def _per_posting(values, count: int, value_size: int | None) -> list | None:
    """A block's stored values (see :func:`_mini_values`) one per posting; None
    when they cannot be told apart."""
    if value_size == 0:
        return [b""] * count
    if values is None:
        return None
    if value_size is None or value_size < 0:
        return list(values) if len(values) == count else None
    return [values[i:i + value_size] for i in range(0, len(values), value_size)]


def posting_list(postfile, info) -> bytes:
    """The bytes of a term's posting list in a segment's ``postfile``, from its magic header on."""
    return postfile.get(*extent(info))


def extent(info) -> tuple[int, int]:
    """``(offset, length)`` of a term's posting list."""
    offset, length = info.extent()
    if isinstance(length, tuple):  # W3TermInfo.from_bytes leaves the length a 1-tuple
        length = length[0]
    return offset, length


def block_spans(raw: bytes) -> list[tuple[tuple, int, int]]:
    """``(info, data start, data end)`` of each block of the posting list ``raw``
    (see :func:`encoded_block` for the info tuple)."""
    stream = io.BytesIO(raw)
    return [block_span(raw, start, stream) for start in block_starts(raw)]


def block_starts(raw: bytes) -> list[int]:
    """Where each block of the posting list ``raw`` starts, from the blocks'
    lengths alone: a tenth of the cost of unpickling every block's info."""
    unpack = _BLOCK_LENGTH.unpack_from
    position = len(WHOOSH3_HEADER_MAGIC)
    starts = []
    while True:
        starts.append(position)
        length = unpack(raw, position)[0]
        if length < 0:  # the last block
            return starts
        position += 4 + length


def block_span(raw: bytes, start: int, stream: io.BytesIO) -> tuple[tuple, int, int]:
    """``(info, data start, data end)`` of the block at ``start`` (see
    :func:`block_starts`) of the posting list ``raw``; ``stream`` reads ``raw``."""
    stream.seek(start + 4)
    info = pickle.load(stream)
    return info, stream.tell(), start + 4 + abs(_BLOCK_LENGTH.unpack_from(raw, start)[0])


def block_data(raw: bytes, info: tuple, start: int, end: int) -> tuple:
    """A block's ``(delta ids, weights, values)`` as :func:`encoded_block` stored them."""
    return _decoded(info, raw[start:end])


def copied_blocks(raw: bytes, shift: int) -> tuple[list[Block], bytes | None]:
    """The blocks of another segment's posting list ``raw``, with their docnums
    moved up by ``shift``, and the term's columns after them (None: none;
    see :mod:`.term_columns`), as they are."""
    blocks = []
    spans = block_spans(raw)
    for info, start, end in spans:
        data = raw[start:end]
        blocks.append(_shifted(info, data, shift) if shift else (info, data))
    return blocks, trailing_columns(raw, spans)


def trailing_columns(raw: bytes, spans: list) -> bytes | None:
    """What follows the last block of the posting list ``raw``: the term's columns, or None."""
    end = spans[-1][2]
    return raw[end:] if end < len(raw) else None


def block_columns(blocks: list[Block]) -> tuple[list[int], array]:
    """The docnums and frequencies of ``blocks``, decoded."""
    ids, weights = [], array("f")
    for info, data in blocks:
        gaps, block_weights, _ = _decoded(info, data)
        ids += accumulate(gaps)
        weights.extend(_expanded(block_weights, info[0]))
    return ids, weights


def inlined_postings(info, shift: int) -> list:
    """The ``(docnum, weight, value)`` postings inlined in a term ``info`` of
    another segment, their docnums moved up by ``shift``."""
    ids, weights, values = info.inlined_postings()
    weights = weights or (1.0,) * len(ids)
    values = [value or b"" for value in values] if values else (b"",) * len(ids)
    return [(docnum + shift, weight, value) for docnum, weight, value in zip(ids, weights, values)]


def write_term(postfile, tindex, key: bytes, blocks: list[Block], stats: TermStats,
               columns: bytes | None = None) -> None:
    """Write a term's ``blocks`` to ``postfile``, then its ``columns`` (see
    :mod:`.term_columns`), and its info under ``key`` (see :func:`field_key`)."""
    start = postfile.tell()
    postfile.write(WHOOSH3_HEADER_MAGIC)
    for number, (info, data) in enumerate(blocks, 1):
        info_bytes = dumps(info, 2)
        size = len(info_bytes) + len(data)
        postfile.write(pack_int(-size if number == len(blocks) else size))
        postfile.write(info_bytes)
        postfile.write(data)
    if columns:
        postfile.write(columns)
    tindex.add(key, _term_info(stats, False) + pack_long(start) + pack_int(postfile.tell() - start))


def write_inlined(tindex, key: bytes, postings: list, stats: TermStats) -> None:
    """Write a term's few ``postings`` (``(docnum, weight, value)``) into its info under ``key``.

    The reader's ``ListMatcher`` takes ``None`` weights as all 1.0; postings
    without values (an ID field's) read as ``None``, as from a block.
    """
    ids, weights, values = zip(*postings)
    values = tuple(value for value in values if value) or (None,) * len(ids)
    inlined = (ids, None if weights.count(1.0) == len(weights) else weights, values)
    tindex.add(key, _term_info(stats, True) + dumps(inlined, 3))


def _term_info(stats: TermStats, inlined: bool) -> bytes:
    return _TERM_INFO.pack(inlined, stats.weight, stats.count,
                           0 if stats.min_length is None else length_to_byte(stats.min_length),
                           length_to_byte(stats.max_length), stats.max_weight,
                           stats.first_id, stats.last_id)


def field_key(fieldid: int, term: bytes) -> bytes:
    return pack_ushort(fieldid) + term


def _shifted(info: tuple, data: bytes, shift: int) -> Block:
    count, last_id, max_weight, level, min_length, max_length = info
    payload = zlib.decompress(data) if level else data
    moved = shifted(payload, shift)
    if moved is None:  # Whoosh's layout
        deltas, weights, values = pickle.loads(payload)
        moved = _pickled((deltas[0] + shift,) + tuple(deltas[1:]), weights, values, 5 if level else 3)
    return (count, last_id + shift, max_weight, level, min_length, max_length), _compressed(moved, level)


def _pickled(gaps, weights, values, protocol: int) -> bytes:
    """A block's data in Whoosh's layout, uncompressed.

    Whoosh pickles blocks with protocol 2, which spells every bytes object (a
    posting's positions) as a call to ``_codecs.encode``; protocol 3 and up
    write them as bytes: a text block is 40% smaller compressed and unpickles
    three times as fast, and any Whoosh reader loads either. Protocol 5 frames
    add 9 bytes, which only pay off on compressed blocks.
    """
    return dumps((gaps, weights, values), protocol)


def _compressed(data: bytes, level: int) -> bytes:
    return zlib.compress(data, level) if level else data


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
