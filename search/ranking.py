"""The scoring model of keyword queries: how plain query words rank passages.

The query layer (:mod:`.query`) turns each plain query word into a
:class:`WordQuery` and the words side by side into a :class:`RankedUnits`;
everything about *how much* a match counts lives here, in one
:class:`RankingConfig`:

* **BM25 per field** (Lucene's idf ``ln(1 + (N - df + 0.5) / (df + 0.5))``
  over the passages, ``k1``/``b`` for all fields): a word scores the best of
  its match in ``title`` (every passage indexes its document's title; weight
  ``title_weight``), in ``text`` and in the compound ``parts`` field (weight
  ``parts_weight``: "beveiliging" finds "informatiebeveiliging", below an
  exact match).
* **Word variants** (``variant_*``): index terms that share the word's first
  ``variant_prefix`` letters ("ontmoedig" -> "ontmoediging", "winn" ->
  "winning", "onttrekking" -> "onttrekkingen") count at ``variant_weight``
  when the word itself is not there: derivations the Snowball stemmer leaves
  apart.  Bounded: words of ``variant_min_length``+ letters, at most
  ``variant_max_terms`` variants, none in more than ``variant_max_share`` of
  the passages.
* **Compound parts of query words** (``query_parts_weight``): the query word
  "privacyverklaring" also searches "privacy" and "verklaring" (title, text,
  parts), so passages that say "verklaring over privacy", or whose text has
  the word split or glued differently, are found too; the exact compound
  scores more.
* **Proximity** (``proximity_*``): a pair of neighbouring query words
  (at most two stop words apart) scores extra in passages where the second
  follows the first within ``proximity_window`` words (a sloppy bigram, the
  sequential-dependence idea), weighted by the rarer word's idf.
* **Coordination**: passages containing more of the words rank first:
  ``score * (matched / units) ** exponent``.  Strong for the short queries
  people type (``coordination`` up to ``coordination_full_until`` units),
  fading to nothing at ``coordination_off_from`` units: in a pasted question
  of 20 words, matching 12 rather than 11 says little, and the benchmark
  shows coordination costs question-length queries a lot.
* **Function words** (``function_words``): in long queries
  (``long_query_units``+ units) the Dutch function words the stop list lacks
  (:data:`FUNCTION_WORDS`: "zoals", "tussen", "hierover", "worden" ...) are
  dropped; optionally (``question_words``, off: it measures as a small loss)
  also question phrasing (:data:`QUESTION_WORDS`: "kunt u aangeven", "bent u
  bereid").
* **Prose** (``prose``): a long query without operators is read as plain
  words (:func:`as_prose`); hyphenated words in long queries count as their
  parts (:class:`HyphenQuery`).

``RankingConfig.legacy()`` switches all of this off and gives the query
layer's earlier scoring (Whoosh BM25F per term, BestOf of the fields with
parts at 0.4, coordination exponent 2 at every length); ``bench/quality.py``
measures every stage (``python bench/quality.py``).

Speed: a :class:`WordQuery` reads postings block by block and scores them
with a per-field length-norm table (one bytes read of Whoosh's length column
per segment), not through a Whoosh matcher and scorer per posting.

This module is the public face (what the query builder calls, and every name
it has offered); the work is done in :mod:`.ranking_config` (the settings and
word lists), :mod:`.postings` (collection statistics, length norms, block
reading, BM25 of one term), :mod:`.word_queries` (WordQuery, its variants,
HyphenQuery) and :mod:`.ranked_units` (RankedUnits, coordination, proximity).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .ranked_units import RankedUnits
from .ranking_config import DEFAULT_RANKING, FUNCTION_WORDS, QUESTION_WORDS, RankingConfig, resolve
from .syntax import OPERATORS, QUERY_FIELDS
from .word_queries import HyphenQuery, PartQuery, WordQuery, variants, word_of

# --------------------------------------------------------------------------
# Prose queries
# --------------------------------------------------------------------------

_PROSE_DROP = re.compile("[\"\u201c\u201d\u201e\u201f\u00ab\u00bb()\\[\\]{}*?]")
_LEADING_SIGNS = re.compile(r"(?<!\S)[-+]+")
_GLUED_COLON = re.compile(r"(\w):(?=\S)")
_FIELD_WORD = re.compile(r"([A-Za-z_]+):\S")


def as_prose(text: str, config: RankingConfig | None = None) -> str:
    """A long query written as sentences -- a pasted Kamervraag -- as plain words.

    A query of ``prose_min_words``+ words without query syntax of its own
    (upper-case AND/OR/NOT, ``+word``, a known ``field:value``) is prose:
    its quotes and guillemets, parentheses and brackets, ``*``/``?`` and the
    ``-``/``+`` in front of words are punctuation, not operators, and
    ``word:text`` is two words.  So «Kent u het bericht «X»?» searches the
    words of X (adjacent words still count extra, see proximity), "(EU)-verdrag"
    excludes nothing, and an unbalanced parenthesis is no error.  Any other
    query is returned unchanged."""
    config = resolve(config)
    if not config.prose:
        return text
    words = text.split()
    if len(words) < config.prose_min_words:
        return text
    for word in words:
        if word in OPERATORS or (word.startswith("+") and len(word) > 1):
            return text
        match = _FIELD_WORD.match(word)
        if match and match.group(1).lower() in QUERY_FIELDS:
            return text
    text = _PROSE_DROP.sub(" ", text)
    text = _LEADING_SIGNS.sub(" ", text)
    return _GLUED_COLON.sub(r"\1 ", text)


# --------------------------------------------------------------------------
# Building (called by the query layer)
# --------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _parts_analyzer(config):
    from ..index.analysis import AnalysisConfig, parts_analyzer

    return parts_analyzer(config or AnalysisConfig())


def word_parts(word: str, analysis_config=None) -> list[str]:
    """Index terms of the compound parts of a query word ("privacyverklaring"
    -> privacy, verklar), as the parts field indexes them."""
    return list(dict.fromkeys(t.text for t in _parts_analyzer(analysis_config)(word, mode="index")))


def _split_hyphenated(units: list, positions: list) -> tuple[list, list]:
    """Units and positions with each HyphenQuery replaced by its parts as
    words, placed just after the hyphenated word's position."""
    split_units, split_positions = [], []
    for unit, position in zip(units, positions):
        words = unit.words() if isinstance(unit, HyphenQuery) else None
        if not words:
            split_units.append(unit)
            split_positions.append(position)
            continue
        for i, word in enumerate(words):
            if word not in split_units:
                split_units.append(word)
                split_positions.append(None if position is None else position + i / 16)
    return split_units, split_positions


def _query_parts(units: list, stops: frozenset, config: RankingConfig,
                 analysis_config) -> list[PartQuery]:
    """The compound parts of the (7+ letter) query words that are not query
    words or stop words themselves, each once."""
    extras = []
    seen = {w.text for w in (word_of(u) for u in units) if w is not None}
    for number, unit in enumerate(units):
        word = word_of(unit)
        if word is None or not word.parts or len(word.word) < 7:
            continue
        for term in word_parts(word.word, analysis_config):
            if term not in seen and term not in stops:
                seen.add(term)
                extras.append(PartQuery(term, config, number))
    return extras


def combine(units: list, nodes: list, items: list, stops: frozenset, config: RankingConfig,
            analysis_config=None):
    """The ranked query of a run of keyword ``units`` (whoosh queries) built
    from parse-tree ``nodes``; ``items`` is the sequence the nodes come from
    (word positions, for proximity).  Legacy scoring: a single unit as is,
    several in a :class:`~.matching.CoordinatedOr`."""
    if config.scoring == "legacy":
        from .matching import CoordinatedOr

        if len(units) == 1:
            return units[0]
        query = CoordinatedOr(units)
        exponent = config.exponent(len(units))
        if exponent != CoordinatedOr.exponent:
            query.exponent = exponent
        return query
    index = {id(item): i for i, item in enumerate(items)}
    positions = [index.get(id(node)) for node in nodes]
    if len(units) >= config.hyphen_split_min_units and any(isinstance(u, HyphenQuery) for u in units):
        units, positions = _split_hyphenated(units, positions)
    extras = []
    if config.query_parts_weight > 0:
        extras = _query_parts(units, stops, config, analysis_config)
    return RankedUnits(units, positions, extras, config)


def drop_function_words(units: list, config: RankingConfig) -> tuple[list, list]:
    """``(kept, dropped)`` of ``(query, node)`` units: in long queries, units
    that are function words (and, with ``question_words``, question words) go,
    unless fewer than two units would be left."""
    if len(units) < config.long_query_units or not (config.function_words or config.question_words):
        return units, []
    from ..index.stemming import fold_accents

    words = (FUNCTION_WORDS if config.function_words else frozenset()) | \
        (QUESTION_WORDS if config.question_words else frozenset())
    kept, dropped = [], []
    for unit in units:
        word = word_of(unit[0])
        surface = fold_accents(word.word).lower() if word is not None else None
        (dropped if surface in words else kept).append(unit)
    if len(kept) < 2:
        return units, []
    return kept, dropped


__all__ = ["DEFAULT_RANKING", "FUNCTION_WORDS", "QUESTION_WORDS", "HyphenQuery", "RankedUnits",
           "RankingConfig", "WordQuery", "as_prose", "combine", "drop_function_words", "resolve",
           "variants", "word_parts"]
