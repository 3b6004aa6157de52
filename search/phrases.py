"""Phrase queries matched from posting blocks, scored as Whoosh scores them.

Whoosh matches a phrase with a span matcher over an intersection of its
words' matchers: for "groenten en peulvruchten" it walks "en" posting by
posting up to every passage of the rarer words, through the W3 matcher's
per-block header reads, and decodes the positions of every passage that has
all three. :class:`BlockPhrase` finds the passages with every word rarest
word first, reading only the blocks of the commoner words that hold one of
them (:mod:`.term_blocks`), decodes positions only for those, and checks the
words' order as Whoosh's ``SpanNear2`` does. A match is scored with Whoosh's
own scorers, summed in the order of Whoosh's intersection tree, so hits and
scores are Whoosh's to the last bit (``tests/test_search_phrases.py``).
"""

from __future__ import annotations

from bisect import bisect_left

from whoosh import matching
from whoosh.query import Phrase

from .matching import list_matcher
from .term_blocks import TermBlocks


class BlockPhrase(Phrase):
    """:class:`whoosh.query.Phrase` with the matcher of the module docstring."""

    def matcher(self, searcher, context=None):
        fieldname = self.fieldname
        field = searcher.schema[fieldname] if fieldname in searcher.schema else None
        if field is None or not field.format or not field.format.supports("positions") \
                or not searcher.is_atomic() or len(self.words) < 2:
            return super().matcher(searcher, context)
        reader = searcher.reader()
        try:
            terms = [field.to_bytes(word) for word in self.words]
        except ValueError:
            return matching.NullMatcher()
        blocks = {term: TermBlocks.of(reader, fieldname, term, keep=True) for term in dict.fromkeys(terms)}
        if None in blocks.values():  # a word the segment lacks (or only has deleted)
            return matching.NullMatcher()
        docs = _with_every_term(blocks)
        decode = field.format.decoder("positions")
        positions = {term: term_blocks.positions(docs) for term, term_blocks in blocks.items()}
        matched = [docnum for docnum in docs
                   if _in_order([decode(positions[term][docnum]) for term in terms], self.slop)]
        if not matched:
            return matching.NullMatcher()
        weighting = searcher.weighting if context is None else context.weighting
        scorers = [weighting.scorer(searcher, fieldname, term, qf=1) for term in terms]
        frequencies = [_frequencies(blocks[term], matched) for term in terms]
        scores = [_tree_sum([scorer.score(_Posting(docnum, weights[docnum]))
                             for scorer, weights in zip(scorers, frequencies)]) * self.boost
                  for docnum in matched]
        return list_matcher(matched, scores)


def _with_every_term(blocks: dict) -> list[int]:
    """The sorted docnums with a posting in each of ``blocks`` (term -> its
    blocks), rarest term first."""
    order = sorted(blocks, key=lambda term: sum(blocks[term].counts))
    rarest = blocks[order[0]]
    docs = sorted(docnum for number in range(len(rarest)) for docnum in rarest.block(number)[0])
    for term in order[1:]:
        if not docs:
            break
        docs = _present(blocks[term], docs)
    return docs


def _present(blocks: TermBlocks, docs: list[int]) -> list[int]:
    """The ``docs`` (sorted) that have a posting in ``blocks``, decoding only the blocks that may hold one."""
    found = []
    for number, start, end in blocks.among(docs):
        ids = set(blocks.block(number)[0])
        found += [docnum for docnum in docs[start:end] if docnum in ids]
    return found


def _in_order(positions: list[list[int]], slop: int) -> bool:
    """Whether the words' positions hold the phrase, as ``SpanNear2(ordered=True,
    mindist=1)`` decides: each next word 1 to ``slop`` positions after the end of
    a span of the words before it. A span's start never matters again (the next
    word must come after its end), so only the ends are kept."""
    ends = positions[0]
    for following in positions[1:]:
        ends = [q for q in following if (i := bisect_left(ends, q)) and q - ends[i - 1] <= slop]
        if not ends:
            return False
    return True


def _frequencies(blocks: TermBlocks, docs: list[int]) -> dict[int, float]:
    """The term's frequency (Whoosh's posting weight) in each of the sorted ``docs``."""
    wanted, out = set(docs), {}
    for number, _, _ in blocks.among(docs):
        ids, weights, _ = blocks.block(number)
        out.update((docnum, weight) for docnum, weight in zip(ids, weights) if docnum in wanted)
    return out


class _Posting:
    """What a Whoosh scorer reads of a matcher: the document and the term's weight in it."""

    __slots__ = ("_docnum", "_weight")

    def __init__(self, docnum: int, weight: float):
        self._docnum, self._weight = docnum, weight

    def id(self) -> int:
        return self._docnum

    def weight(self) -> float:
        return self._weight


def _tree_sum(scores: list[float]) -> float:
    """The sum of ``scores`` in the order Whoosh's ``make_binary_tree`` of intersections adds them."""
    if len(scores) == 1:
        return scores[0]
    half = len(scores) // 2
    return _tree_sum(scores[:half]) + _tree_sum(scores[half:])
