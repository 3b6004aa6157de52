"""A term's docnums and frequencies in one piece, after its last block.

Scoring needs a term's docnums and frequencies only, but reads them block by
block: a header to unpickle and a zlib stream to start per 128 postings,
which was most of a keyword query at 1M passages. A term with
:data:`COLUMNS_FROM` postings or more in a scored field also gets them all,
compressed together, after its last block, inside the extent its term info
gives. Whoosh's matcher walks blocks until the one marked last and never
reads past it, so any Whoosh reader still opens the segment; this module's
reader finds the columns where the blocks end
(:class:`~beleidzoek.search.term_blocks.TermBlocks`).

Layout, zlib-compressed, little-endian::

    gap size (1 byte: 2 or 4) | frequency size (1: whole counts below 256, 4: float32)
    | count (uint32) | first docnum (uint32) | count - 1 gaps | count frequencies

The zlib stream is followed by its length (uint32), so that a reader finds
the columns from the end of the extent without walking the blocks; a segment
written this way says from how many postings its terms have columns
(:data:`SEGMENT_MARK`). Segments without the mark (written before the length
was, or by Whoosh's own writer) are read through their blocks.

The gaps are stored a byte plane at a time (every gap's low byte, then every
gap's next byte): the high bytes are mostly zero and compress away, which
makes the columns a fifth smaller than gaps side by side.
"""

from __future__ import annotations

import struct
import zlib
from array import array
from itertools import accumulate

from .block_codec import little_endian, native

#: Postings a term needs in a segment before its columns are written: below
#: this a term has one block, read as fast.
COLUMNS_FROM = 256
#: The segment attribute (pickled with the segment in the TOC) holding the
#: ``COLUMNS_FROM`` its terms were written with.
SEGMENT_MARK = "beleidzoek_term_columns_from"
_HEAD = struct.Struct("<BBII")
_LENGTH = struct.Struct("<I")


def encoded(ids, weights, level: int) -> bytes:
    """The columns of the postings with docnums ``ids`` (ascending) and
    frequencies ``weights``, with their length after them."""
    gaps = [b - a for a, b in zip(ids, ids[1:])]
    gap_code = "H" if not gaps or max(gaps) < 1 << 16 else "I"
    whole = all(0 <= weight < 256 and weight == int(weight) for weight in weights)
    frequencies = bytes(int(weight) for weight in weights) if whole else little_endian(array("f", weights))
    gap_size = 2 if gap_code == "H" else 4
    side_by_side = little_endian(array(gap_code, gaps))
    planes = b"".join(side_by_side[plane::gap_size] for plane in range(gap_size))
    body = b"".join((_HEAD.pack(gap_size, 1 if whole else 4, len(ids), ids[0]), planes, frequencies))
    data = zlib.compress(body, level)
    return data + _LENGTH.pack(len(data))


def columns_from(segment) -> int | None:
    """From how many postings the terms of a scored field of ``segment`` have columns ending
    with their length; None: unknown (read them through the blocks)."""
    return getattr(segment, SEGMENT_MARK, None)


def stored(postfile, offset: int, length: int) -> bytes:
    """The columns at the end of the extent ``(offset, length)`` of a term that has them."""
    size = _LENGTH.unpack(postfile.get(offset + length - _LENGTH.size, _LENGTH.size))[0]
    return postfile.get(offset + length - _LENGTH.size - size, size)


def decoded(data: bytes) -> tuple[str, bytes, int, bytes, int]:
    """``(typecode of the gaps, their bytes side by side (little-endian), first
    docnum, the frequencies' bytes, their size)`` of encoded columns (what
    follows the zlib stream, such as its length, is left alone)."""
    body = zlib.decompress(data)
    gap_size, frequency_size, count, first = _HEAD.unpack_from(body)
    gaps_end = _HEAD.size + (count - 1) * gap_size
    planes = memoryview(body)[_HEAD.size:gaps_end]
    side_by_side = bytearray(len(planes))
    for plane in range(gap_size):
        side_by_side[plane::gap_size] = planes[plane * (count - 1):(plane + 1) * (count - 1)]
    return ("H" if gap_size == 2 else "I", bytes(side_by_side), first,
            body[gaps_end:gaps_end + count * frequency_size], frequency_size)


def lists(data: bytes) -> tuple[list[int], array]:
    """``(docnums, frequencies)`` of encoded columns, as Python sequences."""
    typecode, gaps, first, raw, frequency_size = decoded(data)
    ids = list(accumulate(native(typecode, gaps), initial=first))
    frequencies = array("f", list(raw)) if frequency_size == 1 else native("f", raw)
    return ids, frequencies
