"""Collection statistics and fast postings reading for the BM25 scorer.

:func:`score_term` reads a term's postings block by block and scores them
with a per-field length-norm table (one bytes read of Whoosh's length column
per segment), not through a Whoosh matcher and scorer per posting. The
blocks come from :mod:`.term_blocks`, which leans on Whoosh 2.7 internals
(the W3 codec) and falls back to the public API where they are missing; the
length column likewise.
"""

from __future__ import annotations

import math

from ..index.term_columns import lists as column_lists
from .ranking_config import RankingConfig
from .term_blocks import TermBlocks, position_decoder, term_columns, term_info


def idf(n: int, df: int) -> float:
    """Lucene's BM25 idf of a term in ``df`` of ``n`` passages."""
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


class CollectionStats:
    """Global statistics of one (top-level) searcher, cached on it."""

    def __init__(self, searcher):
        self.searcher = searcher
        try:
            n = searcher.doc_frequency("record", "passage")
        except Exception:  # pragma: no cover - an index without a record field
            n = 0
        self.n = n or searcher.doc_count() or 1
        self.avg: dict[str, float] = {}
        self.df_cache: dict[tuple[str, str], int] = {}
        #: Word variants found per query term (see :func:`.word_queries.variants`).
        self.variants: dict[tuple, tuple] = {}

    @classmethod
    def of(cls, searcher) -> "CollectionStats":
        parent = searcher.get_parent()
        stats = getattr(parent, "_beleidzoek_stats", None)
        if stats is None:
            stats = cls(parent)
            try:
                parent._beleidzoek_stats = stats
            except AttributeError:  # pragma: no cover
                pass
        return stats

    def avg_length(self, fieldname: str) -> float:
        avg = self.avg.get(fieldname)
        if avg is None:
            avg = self.avg[fieldname] = self.searcher.avg_field_length(fieldname) or 1.0
        return avg

    def df(self, fieldname: str, term: str) -> int:
        key = (fieldname, term)
        df = self.df_cache.get(key)
        if df is None:
            if len(self.df_cache) > 200_000:
                self.df_cache.clear()
            try:
                df = self.searcher.doc_frequency(fieldname, term)
            except Exception:
                df = 0
            self.df_cache[key] = df
        return df


class LengthNorms:
    """Per-segment BM25 length norms ``k1 * (1 - b + b * length / avg)`` as a
    256-entry table indexed by Whoosh's length byte, plus the length bytes."""

    def __init__(self, reader, fieldname: str, k1: float, b: float, avg: float):
        from whoosh.util.numeric import byte_to_length

        self.table = [k1 * ((1.0 - b) + b * byte_to_length(i) / avg) for i in range(256)]
        self.bytes = length_bytes(reader, fieldname)
        if self.bytes is None:  # no fast path: look lengths up per document
            self.bytes = _LazyLengthBytes(reader, fieldname)


def length_bytes(reader, fieldname: str) -> bytes | None:
    """The whole length column of a segment as bytes (Whoosh 2.7 W3 codec), or None."""
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        perdoc = reader._perdoc
        column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        doccount = reader.doc_count_all()
        if column is None:
            return bytes(doccount)
        data = column._dbfile.get(column._basepos, column._count * column._fixedlen)
        if column._fixedlen != 1:
            return None
        if len(data) < doccount:
            data = bytes(data) + bytes(doccount - len(data))
        return data
    except Exception:
        return None


class _LazyLengthBytes:
    """Length bytes looked up per document, for segments without the fast column."""

    def __init__(self, reader, fieldname):
        from whoosh.util.numeric import length_to_byte

        self.reader, self.fieldname, self.to_byte = reader, fieldname, length_to_byte
        self.cache: dict[int, int] = {}

    def __getitem__(self, docnum):
        value = self.cache.get(docnum)
        if value is None:
            value = self.cache[docnum] = self.to_byte(
                self.reader.doc_field_length(docnum, self.fieldname, 0) or 0)
        return value


def length_norms(searcher, fieldname: str, config: RankingConfig,
                 stats: CollectionStats) -> LengthNorms:
    """The length norms of ``fieldname`` in the searcher's segment, cached on its reader."""
    reader = searcher.reader()
    cache = getattr(reader, "_beleidzoek_norms", None)
    if cache is None:
        cache = {}
        try:
            reader._beleidzoek_norms = cache
        except AttributeError:  # pragma: no cover
            pass
    key = (fieldname, config.k1, config.b)
    norms = cache.get(key)
    if norms is None:
        norms = cache[key] = LengthNorms(reader, fieldname, config.k1, config.b,
                                         stats.avg_length(fieldname))
    return norms


def posting_blocks(reader, fieldname: str, term: str):
    """``(docnums, term frequencies)`` of a term's postings, block by block
    (all at once from the term's columns, where it has them)."""
    columns = term_columns(reader, fieldname, term)
    if columns is not None:
        ids, weights = column_lists(columns)
        if reader.has_deletions():
            deleted = reader.deleted_docs_set
            kept = [n for n, docnum in enumerate(ids) if docnum not in deleted]
            ids, weights = [ids[n] for n in kept], [weights[n] for n in kept]
        yield ids, weights
        return
    blocks = TermBlocks.of(reader, fieldname, term)
    for i in range(len(blocks) if blocks is not None else 0):
        ids, weights, _ = blocks.block(i)
        yield ids, weights


def term_scoring(searcher, stats: CollectionStats, config: RankingConfig, fieldname: str,
                 term: str, weight: float) -> tuple[float, list, object] | None:
    """``(factor, norm table, length bytes)`` to score the term's postings in
    the searcher's segment, or None when it has none."""
    if term_info(searcher.reader(), fieldname, term) is None:
        return None
    df = stats.df(fieldname, term)
    if not df:
        return None
    norms = length_norms(searcher, fieldname, config, stats)
    return weight * idf(stats.n, df) * (config.k1 + 1.0), norms.table, norms.bytes


def score_term(searcher, stats: CollectionStats, config: RankingConfig, fieldname: str,
               term: str, weight: float, best: dict, allowed: frozenset | None = None) -> None:
    """Max-merge ``weight * BM25(term in field)`` into ``best`` (docnum -> score),
    for the ``allowed`` documents only (None: all)."""
    scoring = term_scoring(searcher, stats, config, fieldname, term, weight)
    if scoring is None:
        return
    factor, table, lengths = scoring
    get = best.get
    for ids, tfs in posting_blocks(searcher.reader(), fieldname, term):
        pairs = zip(ids, tfs) if allowed is None else [(d, tf) for d, tf in zip(ids, tfs) if d in allowed]
        for docnum, tf in pairs:
            score = factor * tf / (tf + table[lengths[docnum]])
            if score > get(docnum, 0.0):
                best[docnum] = score


def term_positions(reader, fieldname: str, term, docs: list[int] | None = None,
                   read: dict | None = None) -> tuple[dict, object]:
    """``({docnum: encoded positions}, decode)`` of a term in a field with
    positions, of the sorted ``docs`` only (None: all): blocks without any of
    ``docs`` skipped, positions decoded only where needed (``decode`` is the
    field's, the same for every term). ``read`` keeps the terms' blocks
    (term -> :class:`TermBlocks`, keeping what they decode) for the caller's
    next call: a word of two pairs is read and decoded once."""
    if read is None:
        blocks = TermBlocks.of(reader, fieldname, term)
    elif term in read:
        blocks = read[term]
    else:
        blocks = read[term] = TermBlocks.of(reader, fieldname, term, keep_blocks=True)
    if blocks is None:
        return {}, None
    return blocks.positions(docs), position_decoder(reader.schema[fieldname].format)
