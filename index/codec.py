"""Whoosh's codec for writing, with field lengths read once per segment, not per posting.

While it writes a segment, Whoosh looks up the field length of every posting
in the new segment's length column: one small file read per posting, and for
fields without lengths (ids, numbers, keywords) a ``stat`` of the missing
column file per posting instead -- together about a sixth of indexing time.
This codec loads each length column once (:func:`with_loaded_lengths` does the
same for a segment being merged, whose every document Whoosh asks for every
field's length), and pickles stored fields with protocol 5 (Whoosh uses 2:
four-byte lengths for every string; 5% smaller), read back by Whoosh's own
column reader. The segments it writes name Whoosh's own codec, so an index written
with it is what Whoosh writes, and any reader opens it without this module.
"""

from __future__ import annotations

from pickle import dumps

from whoosh.codec.whoosh3 import (LENGTHS_COLUMN, W3Codec, W3PerDocReader, W3PerDocWriter,
                                  W3Segment, _lenfield)
from whoosh.columns import CompressedBytesColumn, PickleColumn
from whoosh.util.numeric import byte_to_length

_MISSING = object()


class _Lengths(W3PerDocReader):
    """Per-document reader whose field lengths come from columns loaded into memory."""

    def __init__(self, storage, segment):
        super().__init__(storage, segment)
        self._loaded: dict = {}

    def doc_field_length(self, docnum, fieldname, default=0):
        lengths = self._loaded.get(fieldname, _MISSING)
        if lengths is _MISSING:
            reader = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            lengths = self._loaded[fieldname] = None if reader is None else reader.load()
        if lengths is None:
            return default
        lbyte = lengths[docnum]
        return byte_to_length(lbyte) if lbyte else None  # as W3PerDocReader does


def with_loaded_lengths(reader):
    """``reader``, a Whoosh segment reader, with the field lengths of :class:`_Lengths`."""
    reader._perdoc.close()
    reader._perdoc = _Lengths(reader._storage, reader._segment)
    return reader


class _NewerPickles(PickleColumn):
    class Writer(PickleColumn.Writer):
        def add(self, docnum, v):
            self._child.add(docnum, b"" if v is None else dumps(v, 5))


_STORED_COLUMN = _NewerPickles(CompressedBytesColumn())


class _StoredFields(W3PerDocWriter):
    """Whoosh's per-document writer with the stored-fields column above."""

    def _create_column(self, fieldname, column):
        super()._create_column(fieldname, _STORED_COLUMN if fieldname == "_stored" else column)


class WritingCodec(W3Codec):
    """The codec to hand to Whoosh writers (``ix.writer(codec=WritingCodec())``)."""

    def per_document_writer(self, storage, segment):
        return _StoredFields(self, storage, segment)

    def per_document_reader(self, storage, segment):
        return _Lengths(storage, segment)

    def new_segment(self, storage, indexname):
        return W3Segment(W3Codec(self._blocklimit, self._compression, self._inlinelimit), indexname)
