"""A Whoosh segment writer that keeps postings per term in memory and writes them a block at a time.

Whoosh's ``SegmentWriter`` puts every posting into a sorting pool as a tuple,
sorts all of them, spills runs to disk, merges them back, and hands them one
at a time to the postings writer, which checks and appends each one and looks
up its document's field length. That per-posting Python is most of an index
build. This writer appends each posting to its term's list (documents arrive
in docnum order, so every list is already sorted), sorts only the terms, and
writes each term's blocks from slices (:mod:`.posting_blocks`). A segment
it writes holds what Whoosh writes, block for block (tests compare the two;
only the pickle protocol inside a block differs), so any Whoosh reader opens it.

A merged segment's full blocks are copied with their docnums moved, without
decoding a posting, and a term's partly filled ones are joined; a term's
columns (:mod:`.term_columns`) are carried over. A segment with deletions
takes Whoosh's own path instead (every posting renumbered through its pool,
which spills to disk).
"""

from __future__ import annotations

import heapq
from array import array
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

from whoosh.reading import SegmentReader
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import PostingPool, SegmentWriter

from . import term_columns
from .codec import with_loaded_lengths
from .posting_blocks import (INLINE_UP_TO, TermStats, block_columns, coalesced, copied_blocks, encoded_block,
                             encoded_blocks, field_key, inlined_postings, posting_list, postings_stats, summed,
                             write_inlined, write_term)
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
        #: Merged segments whose blocks are copied at flush, with their first docnum here.
        self._copied: list[tuple] = []

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
        # Documents are added before the commit's merges, so the pool is still the term pool.
        self.pool.add_document(fieldname, docnum, items)
        quantized = length_to_byte(length)
        if quantized:  # a length that rounds to byte 0 reads as none (W3PerDocReader)
            self._lengths.setdefault(fieldname, {})[docnum] = byte_to_length(quantized)

    def add_reader(self, reader):
        """Merge a segment: its blocks are copied at flush (see :mod:`.posting_blocks`) unless
        it has deletions, which take Whoosh's way of renumbering every posting."""
        reader = with_loaded_lengths(reader)
        if reader.has_deletions() or not isinstance(self.pool, _TermPool):
            return super().add_reader(reader)
        self._check_state()
        start = self.docnum
        names = set(self.schema.names()) | {name for name in reader.indexed_field_names()
                                            if name in self.schema}
        totals = self.perdocwriter._fieldlengths
        before = dict(totals)
        self.write_per_doc(names, reader)
        for name in names:  # Whoosh adds each document's quantized length: keep the exact total
            exact = reader.field_length(name)
            if exact:
                totals[name] = before.get(name, 0) + exact
        self._copied.append((reader.segment(), start))
        self._added = True

    def add_postings_to_pool(self, reader, startdoc, docmap):
        if isinstance(self.pool, _TermPool):  # from now on every posting goes through Whoosh's pool
            memory, self.pool = self.pool, PostingPool(self._tempstorage, self.newsegment,
                                                       limitmb=self._spill_mb)
            for item in memory.iter_postings():
                self.pool.add(item)
            for segment, start in self._copied:
                with SegmentReader(self.storage, self.schema, segment) as copied:
                    super().add_postings_to_pool(copied, start, None)
            self._copied.clear()
        super().add_postings_to_pool(reader, startdoc, docmap)

    def _flush_segment(self):
        if not isinstance(self.pool, _TermPool):
            return super()._flush_segment()
        setattr(self.newsegment, term_columns.SEGMENT_MARK, term_columns.COLUMNS_FROM)
        self.perdocwriter.close()
        readers = [(SegmentReader(self.storage, self.schema, segment), start)
                   for segment, start in self._copied]
        try:
            for fieldname in sorted(self._field_names(readers)):
                self._flush_field(fieldname, readers)
        finally:
            for reader, _ in readers:
                reader.close()
        self.fieldwriter.close()

    def _field_names(self, readers) -> set[str]:
        names = set(self.pool.fields)
        for reader, _ in readers:
            names.update(name for name in reader.indexed_field_names() if name in self.schema)
        return names

    def _flush_field(self, fieldname: str, readers) -> None:
        writer = self.fieldwriter
        writer.start_field(fieldname, self.schema[fieldname])
        lengths = self._lengths.get(fieldname, {})
        terms = self.pool.fields.get(fieldname, {})
        value_size = writer._format.fixed_value_size()
        scored = bool(self.schema[fieldname].scorable)
        readers = [(reader, start) for reader, start in readers
                   if fieldname in reader.indexed_field_names()]
        # (term, source, term info): the new postings (source -1) first, then each copied
        # segment's in docnum order, every lexicon read in order rather than looked up per term.
        sources = [((term, -1, None) for term in sorted(terms))]
        sources += [_lexicon(reader, fieldname, number) for number, (reader, _) in enumerate(readers)]
        for term, found in groupby(heapq.merge(*sources, key=itemgetter(0, 1)), key=itemgetter(0)):
            parts = []
            for _, source, info in found:
                if source < 0:
                    parts.append(_Part(terms[term], None, False))
                    continue
                reader, start = readers[source]
                stats = TermStats(info.weight(), info.doc_frequency(), info.min_length() or None,
                                  info.max_length(), info.max_weight(),
                                  info.min_id() + start, info.max_id() + start)
                if info.is_inlined():
                    parts.append(_Part(inlined_postings(info, start), stats, False))
                else:
                    blocks, columns = copied_blocks(posting_list(reader._terms._postfile, info), start)
                    parts.append(_Part(blocks, stats, True, columns and (columns, start)))
            self._write_term(field_key(writer._fieldid, term), parts, lengths, value_size, scored)
        writer.finish_field()

    def _write_term(self, key: bytes, parts: list["_Part"], lengths: dict[int, int],
                    value_size: int | None, scored: bool) -> None:
        """Write a term from its parts, inlined when they are few postings, with
        its columns after its blocks when it has many in a ``scored`` field."""
        writer = self.fieldwriter
        count = sum(len(part.items) if part.stats is None else part.stats.count for part in parts)
        if count <= INLINE_UP_TO and not any(part.blocks for part in parts):
            stats = summed([part.stats or postings_stats(part.items, lengths) for part in parts])
            write_inlined(writer._tindex, key, [posting for part in parts for posting in part.items], stats)
            return
        blocks, stats = [], []
        for part in parts:
            if part.blocks:
                blocks += part.items
                stats.append(part.stats)
            elif part.stats is None:  # new postings
                encoded, part_stats = encoded_blocks(part.items, lengths, self.codec._compression, value_size)
                blocks += encoded
                stats.append(part_stats)
            else:  # inlined in a merged segment: one block of their own
                ids, weights, values = zip(*part.items)
                blocks.append(encoded_block(part.stats, ids, array("f", weights), values, 0, value_size))
                stats.append(part.stats)
        columns = None
        if scored and count >= term_columns.COLUMNS_FROM:
            columns = term_columns.encoded(*_columns_of(parts), self.codec._compression)
        blocks = coalesced(blocks, self.codec._compression, value_size)
        write_term(writer._postfile, writer._tindex, key, blocks, summed(stats), columns)


class _Part(NamedTuple):
    """One source of a term being written: blocks copied from a merged segment
    (``blocks``), or postings, new (``stats`` None) or inlined in a merged
    segment's term info."""

    items: list
    stats: TermStats | None
    blocks: bool
    #: Copied blocks' columns (:mod:`.term_columns`) and the shift their docnums need.
    columns: tuple[bytes, int] | None = None


def _columns_of(parts: list[_Part]) -> tuple[list[int], array]:
    """The docnums and frequencies of a term's ``parts``, in order."""
    ids, weights = [], array("f")
    for part in parts:
        if not part.blocks:  # new postings, or inlined in a merged segment
            ids += [posting[0] for posting in part.items]
            weights.extend(posting[1] for posting in part.items)
            continue
        if part.columns is None:
            part_ids, part_weights = block_columns(part.items)
        else:
            data, shift = part.columns
            part_ids, part_weights = term_columns.lists(data)
            part_ids = [docnum + shift for docnum in part_ids]
        ids += part_ids
        weights.extend(part_weights)
    return ids, weights


def _lexicon(reader, fieldname: str, source: int):
    """``(term bytes, source, term info)`` of a field of a segment, in order (Whoosh's
    ``iter_field`` would parse an empty prefix as a value of the field)."""
    for (name, term), info in reader._terms.items_from(fieldname, b""):
        if name != fieldname:
            return
        yield term, source, info
