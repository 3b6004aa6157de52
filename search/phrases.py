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
from whoosh.scoring import WeightLengthScorer

from .matching import list_matcher
from .term_blocks import TermBlocks, position_decoder


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
        blocks = {term: TermBlocks.of(reader, fieldname, term) for term in dict.fromkeys(terms)}
        if None in blocks.values():  # a word the segment lacks (or only has deleted)
            return matching.NullMatcher()
        postings = _with_every_term(blocks)
        decode = position_decoder(field.format)
        matched = [docnum for docnum in postings[terms[0]]
                   if _in_order([postings[term][docnum][1] for term in terms], decode, self.slop)]
        if not matched:
            return matching.NullMatcher()
        weighting = searcher.weighting if context is None else context.weighting
        scorers = [weighting.scorer(searcher, fieldname, term, qf=1) for term in terms]
        frequencies = [postings[term] for term in terms]
        scores = [score * self.boost for score in _scores(scorers, frequencies, matched)]
        return list_matcher(matched, scores)


def _with_every_term(blocks: dict) -> dict:
    """Per term of ``blocks`` (term -> its blocks), ``{docnum: (frequency,
    encoded positions)}`` of the passages with a posting of every term, in
    docnum order; found rarest term first."""
    rarest, *others = sorted(blocks, key=lambda term: blocks[term].size)
    found = {rarest: blocks[rarest].postings_among()}
    docs = list(found[rarest])
    for term in others:
        found[term] = blocks[term].postings_among(docs)
        docs = [docnum for docnum in docs if docnum in found[term]]
    return {term: {docnum: postings[docnum] for docnum in docs} for term, postings in found.items()}


def _in_order(encoded: list[bytes], decode, slop: int) -> bool:
    """Whether the words' positions (``encoded``, in phrase order) hold the
    phrase, as ``SpanNear2(ordered=True, mindist=1)`` decides: each next word 1
    to ``slop`` positions after the end of a span of the words before it. A
    span's start never matters again (the next word must come after its end),
    so only the ends are kept; a word is decoded only while spans remain."""
    ends = decode(encoded[0])
    for value in encoded[1:]:
        ends = [q for q in decode(value) if (i := bisect_left(ends, q)) and q - ends[i - 1] <= slop]
        if not ends:
            return False
    return True


def _scores(scorers: list, frequencies: list[dict], matched: list[int]) -> list[float]:
    """Each matched passage's score: its terms' scores summed as Whoosh sums
    them. Scorers that score by weight and field length alone (BM25F) share
    one length per passage."""
    if all(type(scorer).score is WeightLengthScorer.score and hasattr(scorer, "dfl") for scorer in scorers):
        length_of = scorers[0].dfl
        return [_tree_sum([scorer._score(postings[docnum][0], length)
                           for scorer, postings in zip(scorers, frequencies)])
                for docnum in matched for length in (length_of(docnum),)]
    return [_tree_sum([scorer.score(_Posting(docnum, postings[docnum][0]))
                       for scorer, postings in zip(scorers, frequencies)]) for docnum in matched]


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
