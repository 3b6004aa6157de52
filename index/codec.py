"""Whoosh's codec, with field lengths read once per segment and stored fields compressed in blocks.

While it writes a segment, Whoosh looks up the field length of every posting
in the new segment's length column: one small file read per posting, and for
fields without lengths (ids, numbers, keywords) a ``stat`` of the missing
column file per posting instead -- together about a sixth of indexing time.
This codec loads each length column once (:func:`with_loaded_lengths` does the
same for a segment being merged, whose every document Whoosh asks for every
field's length), and pickles stored fields with protocol 5 (Whoosh uses 2:
four-byte lengths for every string; 5% smaller) into the block-compressed
column of :mod:`.stored_fields`. The segments it writes name :class:`ReadingCodec`,
Whoosh's codec but for that column, so Whoosh opens them through this module.
"""

from __future__ import annotations

from pickle import dumps

from whoosh.codec.whoosh3 import (LENGTHS_COLUMN, W3Codec, W3PerDocReader, W3PerDocWriter,
                                  W3Segment, _lenfield)
from whoosh.columns import PickleColumn
from whoosh.util.numeric import byte_to_length

from .stored_fields import BlockCompressedColumn

_MISSING = object()


class _NewerPickles(PickleColumn):
    class Writer(PickleColumn.Writer):
        def add(self, docnum, v):
            self._child.add(docnum, b"" if v is None else dumps(v, 5))


_STORED_COLUMN = _NewerPickles(BlockCompressedColumn())


class _StoredFieldsReader(W3PerDocReader):
    """Whoosh's per-document reader, stored fields read from the column above."""

    def stored_fields(self, docnum):
        reader = self._cached_reader("_stored", _STORED_COLUMN)
        return (reader[docnum] if reader is not None else None) or {}


class _LoadedLengths:
    """A per-document reader whose field lengths come from columns loaded into memory."""

    def __init__(self, perdoc: W3PerDocReader):
        self._perdoc = perdoc
        self._loaded: dict = {}

    def __getattr__(self, name):
        return getattr(self._perdoc, name)

    def doc_field_length(self, docnum, fieldname, default=0):
        lengths = self._loaded.get(fieldname, _MISSING)
        if lengths is _MISSING:
            reader = self._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            lengths = self._loaded[fieldname] = None if reader is None else reader.load()
        if lengths is None:
            return default
        lbyte = lengths[docnum]
        return byte_to_length(lbyte) if lbyte else None  # as W3PerDocReader does


def with_loaded_lengths(reader):
    """``reader``, a Whoosh segment reader, with the field lengths of :class:`_LoadedLengths`."""
    if not isinstance(reader._perdoc, _LoadedLengths):
        reader._perdoc = _LoadedLengths(reader._perdoc)
    return reader


class _StoredFields(W3PerDocWriter):
    """Whoosh's per-document writer with the stored-fields column above."""

    def _create_column(self, fieldname, column):
        super()._create_column(fieldname, _STORED_COLUMN if fieldname == "_stored" else column)


class ReadingCodec(W3Codec):
    """The codec a segment names: Whoosh's, with the stored-fields column above."""

    def per_document_reader(self, storage, segment):
        return _StoredFieldsReader(storage, segment)


class WritingCodec(ReadingCodec):
    """The codec to hand to Whoosh writers (``ix.writer(codec=WritingCodec())``)."""

    def per_document_writer(self, storage, segment):
        return _StoredFields(self, storage, segment)

    def per_document_reader(self, storage, segment):
        return _LoadedLengths(super().per_document_reader(storage, segment))

    def new_segment(self, storage, indexname):
        return W3Segment(ReadingCodec(self._blocklimit, self._compression, self._inlinelimit), indexname)
