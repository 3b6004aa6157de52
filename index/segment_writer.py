"""A Whoosh segment writer that keeps postings per term in memory and writes them a block at a time.

Whoosh's ``SegmentWriter`` puts every posting into a sorting pool as a tuple,
sorts all of them, spills runs to disk, merges them back, and hands them one
at a time to the postings writer, which checks and appends each one and looks
up its document's field length. That per-posting Python is most of an index
build. This writer appends each posting to its term's list (documents arrive
in docnum order, so every list is already sorted), sorts only the terms, and
writes each term's blocks from slices (:mod:`.posting_blocks`). The files it writes are the ones
Whoosh writes, block for block (tests compare the two), so any Whoosh reader
opens them.

A commit that merges other segments (``add_reader``) takes Whoosh's own path,
whose pool spills to disk: merged segments can be far larger than memory.
"""

from __future__ import annotations

from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import PostingPool, SegmentWriter

from .posting_blocks import field_key, write_term
from .term_postings import field_items

class _TermPool:
    """Postings by field and term, each list in docnum order."""

    def __init__(self):
        self.fields: dict[str, dict[bytes, list]] = {}

    def add_document(self, fieldname: str, docnum: int, items: list) -> None:
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
        for term, _freq, weight, value in items:
            postings = terms.get(term)
            if postings is None:
                terms[term] = [(docnum, weight, value)]
            else:
                postings.append((docnum, weight, value))

    def iter_postings(self):
        """``(fieldname, term, docnum, weight, value)`` in Whoosh's sort order."""
        for fieldname in sorted(self.fields):
            terms = self.fields[fieldname]
            for term in sorted(terms):
                for docnum, weight, value in terms[term]:
                    yield fieldname, term, docnum, weight, value

    def cleanup(self) -> None:
        self.fields.clear()


class BlockSegmentWriter(SegmentWriter):
    """``SegmentWriter`` with the in-memory term pool (see the module docstring)."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        self._spill_mb = kwargs.get("limitmb", 128)
        self.pool = _TermPool()
        #: Quantized field lengths (as readers see them) by field, for block statistics.
        self._lengths: dict[str, dict[int, int]] = {}

    def add_document(self, **fields):
        self._check_state()
        self._check_fields(self.schema, fields)
        schema, docnum, perdoc = self.schema, self.docnum, self.perdocwriter
        perdoc.start_doc(docnum)
        try:
            for fieldname in sorted(fields):
                value = fields[fieldname]
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    items, length = field_items(field, value)
                    self._add_postings(fieldname, docnum, items, length)
                perdoc.add_field(fieldname, field, value if field.stored else None, length)
                if field.column_type:
                    perdoc.add_column_value(fieldname, field.column_type, field.to_column_value(value))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def commit_with(self, segments: list, mergetype=None) -> None:
        """``commit``, adding ``segments`` that other writers wrote (see :mod:`.segment_workers`);
        existing segments are merged only by a ``mergetype`` policy."""
        self._check_state()
        final = mergetype(self, self.segments) if mergetype else list(self.segments)
        if self._added:
            final.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(final + segments)
        self._finish()

    def _add_postings(self, fieldname: str, docnum: int, items: list, length: int) -> None:
        if isinstance(self.pool, _TermPool):
            self.pool.add_document(fieldname, docnum, items)
            quantized = length_to_byte(length)
            if quantized:  # a length that rounds to byte 0 reads as none (W3PerDocReader)
                self._lengths.setdefault(fieldname, {})[docnum] = byte_to_length(quantized)
        else:
            for term, _freq, weight, value in items:
                self.pool.add((fieldname, term, docnum, weight, value))

    def add_postings_to_pool(self, reader, startdoc, docmap):
        if isinstance(self.pool, _TermPool):
            memory, self.pool = self.pool, PostingPool(self._tempstorage, self.newsegment,
                                                       limitmb=self._spill_mb)
            for item in memory.iter_postings():
                self.pool.add(item)
        super().add_postings_to_pool(reader, startdoc, docmap)

    def _flush_segment(self):
        if not isinstance(self.pool, _TermPool):
            return super()._flush_segment()
        self.perdocwriter.close()
        writer = self.fieldwriter
        for fieldname in sorted(self.pool.fields):
            writer.start_field(fieldname, self.schema[fieldname])
            lengths = self._lengths.get(fieldname, {})
            terms = self.pool.fields[fieldname]
            value_size = writer._format.fixed_value_size()
            for term in sorted(terms):
                write_term(writer._postfile, writer._tindex, field_key(writer._fieldid, term),
                           terms[term], lengths, self.codec._compression, value_size)
            writer.finish_field()
        writer.close()
