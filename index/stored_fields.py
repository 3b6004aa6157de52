"""Stored fields compressed a block of documents at a time, against a dictionary per segment.

Whoosh compresses each document's stored fields on their own (zlib level 3):
a passage's fields, some 660 pickled bytes, shrink by a third, and stored
fields were 43% of an index (84 of 194 MB at 100,000 passages). Compressed
together, the records of a block share their field names, paths, dates and
kinds, and zlib's preset dictionary, cut from the segment's first records,
gives every block the vocabulary of the rest: a 46,000-record segment's
stored fields go from 20.7 MB to 7.6 MB, for less compression time.

A record costs one block's decompression (about 60 µs for 32 records); the
last block read is kept, so reading records in docnum order (merges, a
document's passages) decompresses each block once.

The column, after the blocks: the dictionary (zlib-compressed), the blocks'
offsets and the trailer ``(records per block, blocks, dictionary length)``.
A block is ``<count> <count lengths> <values>`` (little-endian uint32s).
"""

from __future__ import annotations

import struct
import zlib

from whoosh.columns import Column, ColumnReader, ColumnWriter

#: Records compressed together.
BLOCK_RECORDS = 32
#: The preset dictionary's size: zlib's window, the most of it that can be used.
DICTIONARY_BYTES = 32 * 1024
LEVEL = 6
_TRAILER = struct.Struct("<IIQ")


def _uints(values) -> bytes:
    return struct.pack(f"<{len(values)}I", *values)


class BlockCompressedColumn(Column):
    """A column of byte strings (``b""`` for none), compressed as the module says."""

    reversible = False
    _default = b""

    class Writer(ColumnWriter):
        def __init__(self, dbfile):
            super().__init__(dbfile)
            self._pending: list[bytes] = []
            self._pending_bytes = 0  # until the dictionary is cut
            self._dictionary: bytes | None = None
            self._offsets: list[int] = []
            self._written = 0

        def add(self, docnum: int, value: bytes) -> None:
            pending = self._pending
            pending.extend([b""] * (docnum - self._count))
            pending.append(value)
            self._count = docnum + 1
            if self._dictionary is None:
                self._pending_bytes += len(value)
                if self._pending_bytes >= DICTIONARY_BYTES:
                    self._start()
            else:
                while len(pending) >= BLOCK_RECORDS:
                    self._write_block(pending[:BLOCK_RECORDS])
                    del pending[:BLOCK_RECORDS]

        def _start(self) -> None:
            """Cut the dictionary from the records so far and write their blocks."""
            self._dictionary = b"".join(self._pending)[:DICTIONARY_BYTES]
            pending, self._pending = self._pending, []
            for first in range(0, len(pending), BLOCK_RECORDS):
                block = pending[first:first + BLOCK_RECORDS]
                if len(block) < BLOCK_RECORDS:
                    self._pending = block
                else:
                    self._write_block(block)

        def _write_block(self, values: list[bytes]) -> None:
            compressor = zlib.compressobj(LEVEL, zdict=self._dictionary) if self._dictionary \
                else zlib.compressobj(LEVEL)
            data = compressor.compress(_uints([len(values), *map(len, values)]) + b"".join(values))
            data += compressor.flush()
            self._offsets.append(self._written)
            self._dbfile.write(data)
            self._written += len(data)

        def finish(self, doccount: int) -> None:
            if self._dictionary is None:
                self._start()
            if self._pending:
                self._write_block(self._pending)
                self._pending = []
            dictionary = zlib.compress(self._dictionary, LEVEL)
            self._offsets.append(self._written)
            self._dbfile.write(dictionary)
            self._dbfile.write(struct.pack(f"<{len(self._offsets)}Q", *self._offsets))
            self._dbfile.write(_TRAILER.pack(BLOCK_RECORDS, len(self._offsets) - 1, len(dictionary)))

    class Reader(ColumnReader):
        def __init__(self, dbfile, basepos, length, doccount):
            super().__init__(dbfile, basepos, length, doccount)
            end = basepos + length - _TRAILER.size
            self._per_block, blocks, dictionary_length = _TRAILER.unpack(bytes(dbfile.get(end, _TRAILER.size)))
            offsets_at = end - 8 * (blocks + 1)
            self._offsets = struct.unpack(f"<{blocks + 1}Q", bytes(dbfile.get(offsets_at, 8 * (blocks + 1))))
            self._dictionary = zlib.decompress(bytes(dbfile.get(basepos + self._offsets[-1], dictionary_length)))
            self._block_number = -1
            self._block: list[bytes] = []

        def _read_block(self, number: int) -> list[bytes]:
            if number != self._block_number:
                start, end = self._offsets[number], self._offsets[number + 1]
                data = zlib.decompressobj(zdict=self._dictionary).decompress(
                    self._dbfile.get(self._basepos + start, end - start))
                count = struct.unpack_from("<I", data)[0]
                lengths = struct.unpack_from(f"<{count}I", data, 4)
                values, at = [], 4 + 4 * count
                for size in lengths:
                    values.append(data[at:at + size])
                    at += size
                self._block_number, self._block = number, values
            return self._block

        def __getitem__(self, docnum: int) -> bytes:
            number, index = divmod(docnum, self._per_block)
            if number >= len(self._offsets) - 1:
                return b""
            block = self._read_block(number)
            return block[index] if index < len(block) else b""

        def __iter__(self):
            for docnum in range(self._doccount):
                yield self[docnum]

        def load(self) -> list[bytes]:
            return list(self)
