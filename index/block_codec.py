"""A posting block's data, laid out so that scoring reads its docnums and frequencies alone.

Whoosh's W3 format pickles a block's ``(docnum gaps, frequencies, values)``
and compresses the pickle as a whole. Scoring needs the gaps and frequencies
only, yet decompressed and unpickled the positions too: 26 µs a block, most
of it for positions. Here the pickle is written by hand, in this order::

    PROTO 3 | GLOBAL beleidzoek.index.block_codec columns | BINBYTES <columns>
    | <the values, pickled> | TUPLE2 | REDUCE | STOP

``columns`` is one byte (1: 16-bit gaps, 0: 32-bit), the first docnum (32
bits), the other gaps, then a 32-bit float frequency per posting, all
little-endian. (Frequencies as bytes would halve what scoring decompresses,
but turning bytes into Whoosh's float array costs a phrase query's block
read more: 10 µs.) Whoosh's matcher unpickles the block as before and gets
``(gaps, frequencies, values)`` from :func:`columns`; the scorer
decompresses only the first bytes of the stream (:func:`column_bytes`),
never the positions. The names ``columns`` and this module's path are part of
the index format: the pickles call them.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array
from pickle import dumps, loads

_PREFIX = b"\x80\x03cbeleidzoek.index.block_codec\ncolumns\nB"
_LENGTH = struct.Struct("<I")
#: Where a block's columns start in its uncompressed data.
COLUMNS_AT = len(_PREFIX) + _LENGTH.size
_END = b"\x86R."  # TUPLE2, REDUCE, STOP
_BIG_ENDIAN = sys.byteorder == "big"


def packed(gaps, weights, values) -> bytes:
    """A block's data, uncompressed: ``gaps`` (first docnum, then differences),
    ``weights`` (None: all 1.0; a float: all that; else one per posting) and
    ``values`` (None, the joined fixed-size values or a tuple of variable-size ones)."""
    raw = raw_columns(gaps, weights)
    return b"".join((_PREFIX, _LENGTH.pack(len(raw)), raw, dumps(values, 3)[2:-1], _END))


def raw_columns(gaps, weights) -> bytes:
    """The columns of a block (see :func:`packed` for ``gaps`` and ``weights``)."""
    count = len(gaps)
    small = count < 2 or max(gaps[1:]) < 1 << 16
    if weights is None or isinstance(weights, float):
        weights = array("f", [1.0 if weights is None else weights]) * count
    return b"".join((bytes([small]), _LENGTH.pack(gaps[0]),
                     little_endian(array("H" if small else "I", gaps[1:])), little_endian(array("f", weights))))


def columns(raw: bytes, values) -> tuple:
    """``(gaps, frequencies, values)`` of a block, as Whoosh's matcher reads them
    (called by the block's pickle)."""
    first, typecode, gap_bytes, weight_bytes = split(raw)
    gaps = [first]
    gaps.extend(native(typecode, gap_bytes))
    return gaps, native("f", weight_bytes), values


def split(raw: bytes) -> tuple[int, str, bytes, bytes]:
    """``(first docnum, typecode of the other gaps, their bytes, the
    frequencies' bytes)`` of a block's columns (little-endian)."""
    gap_size = 2 if raw[0] else 4
    count = (len(raw) - 1 - _LENGTH.size + gap_size) // (gap_size + 4)
    gaps_end = 1 + _LENGTH.size + (count - 1) * gap_size
    return _LENGTH.unpack_from(raw, 1)[0], "H" if gap_size == 2 else "I", raw[1 + _LENGTH.size:gaps_end], raw[gaps_end:]


def unpacked(body: bytes) -> tuple | None:
    """``(gaps, frequencies, values)`` of a block's uncompressed data, as
    :func:`columns` gives them, without resolving its pickle's global (an
    import lookup per block); None for a block in Whoosh's own layout."""
    if not body.startswith(_PREFIX):
        return None
    end = COLUMNS_AT + _LENGTH.unpack_from(body, len(_PREFIX))[0]
    values = loads(b"\x80\x03" + body[end:-len(_END)] + b".")
    return columns(body[COLUMNS_AT:end], values)


def column_bytes(data: bytes, level: int, count: int) -> bytes | None:
    """The columns of a block of ``count`` postings, decompressing no further
    than them; None for a block in Whoosh's own layout."""
    need = COLUMNS_AT + 1 + 8 * count
    body = zlib.decompressobj().decompress(data, need) if level else data[:need]
    if not body.startswith(_PREFIX):
        return None
    length = _LENGTH.unpack_from(body, len(_PREFIX))[0]
    return body[COLUMNS_AT:COLUMNS_AT + length]


def shifted(data: bytes, shift: int) -> bytes | None:
    """A block's uncompressed data with its docnums moved up by ``shift``;
    None for a block in Whoosh's own layout."""
    if not data.startswith(_PREFIX):
        return None
    body = bytearray(data)
    at = COLUMNS_AT + 1
    _LENGTH.pack_into(body, at, _LENGTH.unpack_from(body, at)[0] + shift)
    return bytes(body)


def little_endian(values: array) -> bytes:
    """The bytes of ``values``, little-endian on any machine."""
    if _BIG_ENDIAN:
        values.byteswap()
    return values.tobytes()


def native(typecode: str, data: bytes) -> array:
    """An array of ``typecode`` from little-endian ``data``."""
    values = array(typecode)
    values.frombytes(data)
    if _BIG_ENDIAN:
        values.byteswap()
    return values
