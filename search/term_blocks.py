"""A term's postings in one segment, block by block, from the bytes of its posting list.

Whoosh's W3 matcher reads every block header with a seek, an int and a
pickle from the posting file, about 13 µs a block: walking past the blocks of
a common word that hold no candidate cost more than scoring the candidates.
:class:`TermBlocks` reads a posting list in one slice, finds its blocks from
their lengths (:func:`~beleidzoek.index.posting_blocks.block_starts`), parses
a block's header only when a search among them or a read needs it, and
decodes a block only when asked, with C loops where Whoosh uses generators.
A term's columns after its blocks (:mod:`~beleidzoek.index.term_columns`)
give its docnums and frequencies at once (:func:`term_columns`).
Postings inlined in the term info make one block, with the term's statistics;
so do a term's postings in a segment without the W3 internals, read through
Whoosh's matcher.
"""

from __future__ import annotations

import io
from array import array
from bisect import bisect_left, bisect_right
from itertools import accumulate
from pickle import loads
from typing import NamedTuple

from whoosh.formats import Positions
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length

from ..index.block_codec import column_bytes, raw_columns, split
from ..index import term_columns as columns_format
from ..index.posting_blocks import block_data, block_span, block_starts, extent, posting_list


class BlockHead(NamedTuple):
    """What a block's header says of its postings (deleted documents included)."""

    count: int
    last_id: int
    max_weight: float
    min_length: int


class TermBlocks:
    """The blocks of one term's postings in a segment (deleted documents left out
    of what :meth:`block` returns). ``size``: its postings, deleted included.
    With ``keep_blocks``, a block is decoded once: proximity reads a word of
    two pairs for the same passages; a phrase reads a block once, and keeping
    every block of a common word cost it more than it saved."""

    def __init__(self, reader, fieldname: str, info, raw: bytes | None, postings: tuple | None,
                 keep_blocks: bool = False):
        self.deleted = reader.deleted_docs_set if reader.has_deletions() else None
        self._value_size = reader.schema[fieldname].format.fixed_value_size()
        self._info, self._raw, self._postings = info, raw, postings
        self._blocks: dict[int, tuple] | None = {} if keep_blocks else None
        if raw is not None:
            self._starts = block_starts(raw)
            self._spans: list[tuple | None] = [None] * len(self._starts)
            self._stream = io.BytesIO(raw)
            self.size = info.doc_frequency()
        else:
            self._starts = [0]
            self.size = len(postings[0])

    @classmethod
    def of(cls, reader, fieldname: str, term, keep_blocks: bool = False) -> "TermBlocks | None":
        """The term's blocks in the segment ``reader``, or None when it has no postings there."""
        info = term_info(reader, fieldname, term)
        if info is None or not info.doc_frequency():
            return None
        postfile = getattr(getattr(reader, "_terms", None), "_postfile", None)
        inlined = getattr(info, "is_inlined", bool)()
        if postfile is not None and hasattr(info, "extent") and not inlined:
            return cls(reader, fieldname, info, posting_list(postfile, info), None, keep_blocks)
        postings = info.inlined_postings() if inlined else _matched(reader, fieldname, term)
        return cls(reader, fieldname, info, None, postings, keep_blocks) if postings[0] else None

    def __len__(self) -> int:
        return len(self._starts)

    def head(self, i: int) -> BlockHead:
        """The ``i``-th block's statistics."""
        if self._raw is None:
            info = self._info
            return BlockHead(len(self._postings[0]), self._postings[0][-1], info.max_weight(),
                             info.min_length() or 0)
        head = self._span(i)[0]
        return BlockHead(head[0], head[1], head[2], byte_to_length(head[4]))

    def last_id(self, i: int) -> int:
        """The highest docnum in the ``i``-th block."""
        return self._postings[0][-1] if self._raw is None else self._span(i)[0][1]

    def among(self, docs: list[int]):
        """``(block number, start, end)`` of each block that may hold one of the
        sorted ``docs``: ``docs[start:end]`` are those at most its last docnum."""
        i, count, number = 0, len(docs), 0
        while i < count:
            number = self._first_block_to(docs[i], number)
            if number == len(self):
                return
            j = bisect_right(docs, self.last_id(number), i)
            yield number, i, j
            i, number = j, number + 1

    def _first_block_to(self, docnum: int, lo: int) -> int:
        """The first block from ``lo`` on whose last docnum is ``docnum`` or
        more (``len(self)``: none), with a few of a common word's headers
        parsed: a word's postings spread evenly over a segment, so the block is
        guessed from where ``docnum`` lies between the docnums around it and
        found by galloping from the guess, then bisecting."""
        last, hi = self.last_id, len(self) - 1
        if lo > hi or last(hi) < docnum:
            return hi + 1
        below = last(lo - 1) if lo else -1  # every block before lo ends below docnum
        guess = lo + (hi - lo) * (docnum - below) // (last(hi) - below)
        step = 1
        if last(guess) >= docnum:  # the block is the guess or before it
            while guess - step >= lo and last(guess - step) >= docnum:
                guess -= step
                step *= 2
            return bisect_left(range(hi + 1), docnum, max(lo, guess - step + 1), guess, key=last)
        while last(min(guess + step, hi)) < docnum:  # after the guess
            guess += step
            step *= 2
        return bisect_left(range(hi + 1), docnum, guess + 1, min(guess + step, hi), key=last)

    def block(self, i: int) -> tuple[tuple, object, tuple]:
        """``(docnums, frequencies, encoded values)`` of the ``i``-th block."""
        if self._blocks is None:
            return self._decoded(i)
        found = self._blocks.get(i)
        if found is None:
            found = self._blocks[i] = self._decoded(i)
        return found

    def _decoded(self, i: int) -> tuple[tuple, object, tuple]:
        if self._raw is None:
            ids, weights, values = self._postings
            count = len(ids)
        else:
            head, start, end = self._span(i)
            ids, weights, values = block_data(self._raw, head, start, end)
            ids = tuple(accumulate(ids))
            count = head[0]
        if weights is None or isinstance(weights, float):  # one weight for every posting
            weights = array("f", [1.0 if weights is None else weights]) * count
        values = self._values(values, count)
        if self.deleted:
            keep = [n for n, docnum in enumerate(ids) if docnum not in self.deleted]
            ids, weights, values = ([seq[n] for n in keep] for seq in (ids, weights, values))
        return ids, weights, values

    def columns(self) -> list[tuple[int, str, bytes, bytes, int]]:
        """Per block ``(first docnum, typecode of the other gaps, their bytes,
        the frequencies' bytes, last docnum)``, little-endian, deleted documents
        included (see :func:`~beleidzoek.index.block_codec.split`): for arrays,
        read without decompressing a block's positions."""
        out = []
        for number in range(len(self)):
            raw = None
            if self._raw is not None:
                head, start, end = self._span(number)
                raw = column_bytes(self._raw[start:end], head[3], head[0])
            if raw is not None:
                out.append((*split(raw), head[1]))
                continue
            ids, weights, _ = self.block(number)  # Whoosh's layout, or inlined postings
            if ids:
                gaps = [b - a for a, b in zip(ids, ids[1:])]
                out.append((*split(raw_columns([ids[0], *gaps], weights)), ids[-1]))
        return out

    def positions(self, docs: list[int] | None = None) -> dict:
        """``{docnum: encoded positions}`` of the sorted ``docs`` (None: all)."""
        return {docnum: value for docnum, (_, value) in self.postings_among(docs).items()}

    def postings_among(self, docs: list[int] | None = None) -> dict:
        """``{docnum: (frequency, encoded value)}`` of those of the sorted ``docs``
        (None: all) with a posting here."""
        if docs is None:
            return {docnum: (weight, value) for number in range(len(self))
                    for docnum, weight, value in zip(*self.block(number))}
        out = {}
        for number, start, end in self.among(docs):
            ids, weights, values = self.block(number)
            out.update((ids[n], (weights[n], values[n])) for n in held(ids, docs[start:end]))
        return out

    def _span(self, i: int) -> tuple[tuple, int, int]:
        """The ``i``-th block's ``(info, data start, data end)``, its header parsed once."""
        span = self._spans[i]
        if span is None:
            span = self._spans[i] = block_span(self._raw, self._starts[i], self._stream)
        return span

    def _values(self, values, count: int) -> tuple:
        """A block's values one per posting, as Whoosh's matcher gives them."""
        size = self._value_size
        if not values or size == 0:
            return (None,) * count
        if size is None or size < 0 or not isinstance(values, bytes):
            return values
        return tuple(values[i:i + size] for i in range(0, len(values), size))


def term_columns(reader, fieldname: str, term) -> bytes | None:
    """The term's columns (:mod:`~beleidzoek.index.term_columns`) in the segment
    ``reader``, read from the end of its posting list; None when it has none
    there or the segment does not say which terms have them."""
    columns_from = columns_format.columns_from(getattr(reader, "segment", lambda: None)())
    if columns_from is None or not reader.schema[fieldname].scorable:
        return None
    info = term_info(reader, fieldname, term)
    if info is None or info.doc_frequency() < columns_from or getattr(info, "is_inlined", bool)():
        return None
    return columns_format.stored(reader._terms._postfile, *extent(info))


def _matched(reader, fieldname: str, term) -> tuple:
    """``(docnums, weights, values)`` of a term through Whoosh's matcher, one posting at a time."""
    m = reader.postings(fieldname, term)
    ids, weights, values = [], [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        values.append(m.value())
        m.next()
    return tuple(ids), weights, tuple(values)


def held(ids, docs: list[int]) -> list[int]:
    """The indexes in a block's sorted ``ids`` of those of the sorted ``docs`` it
    holds: a few docs found by bisection, many by one pass over the block."""
    if len(docs) * 8 < len(ids):
        found, count, i = [], len(ids), 0
        for docnum in docs:
            i = bisect_left(ids, docnum, i)
            if i < count and ids[i] == docnum:
                found.append(i)
        return found
    wanted = set(docs)
    return [n for n, docnum in enumerate(ids) if docnum in wanted]


#: Term infos cached per segment reader before the cache starts over.
TERM_INFOS_KEPT = 100_000


def term_info(reader, fieldname: str, term):
    """The term's info in the segment ``reader`` (None: not there), cached on the
    reader: a query asks for a term's info once to count its postings, once for
    its ceiling and once to read its blocks."""
    cache = reader.__dict__.setdefault("_beleidzoek_term_infos", {})
    key = (fieldname, term)
    if key in cache:
        return cache[key]
    if len(cache) >= TERM_INFOS_KEPT:
        cache.clear()
    try:
        info = reader.term_info(fieldname, term)
    except Exception:  # not in this segment (TermNotFound), or no such field
        info = None
    cache[key] = info
    return info


def position_decoder(field_format):
    """A decoder of the format's encoded positions: for Whoosh's ``Positions``,
    its ``decode_positions`` with the running sum in C."""
    if type(field_format) is Positions:
        return _decode_positions
    return field_format.decoder("positions")


def _decode_positions(value: bytes) -> list[int]:
    return list(accumulate(loads(value[_INT_SIZE:] if value.endswith(b".") else value[_INT_SIZE:] + b".")))
