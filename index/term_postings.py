"""A field value's posting items, as Whoosh's ``field.index`` gives them, without its per-token cost.

Whoosh turns every token into a ``Token`` object, runs it through the filter
chain and then groups the stream by term. For the Dutch text fields the chain
is a function of the raw token alone (see :mod:`.analysis`: the tokenizer's
matches are analysed one by one, and each raw token moves the position by a
fixed amount), so this module analyses each distinct raw token once, keeps
``(term, position offset)`` per raw token, and builds a value's postings
from those. Items are byte-identical to Whoosh's (tests compare them on the
corpus), so an index written from them is an ordinary Whoosh index.

An ID field's one term is its value; any other field (keywords, numbers, the
submitter names) takes Whoosh's own ``field.index``.
"""

from __future__ import annotations

from pickle import dumps

from whoosh.analysis import IDTokenizer
from whoosh.formats import Existence, Frequency, Positions
from whoosh.system import pack_uint

from .analysis import TOKEN_PATTERN, DutchAnalyzer, expand_connected

#: ``(term bytes, frequency, weight, encoded value)``, as Whoosh's ``field.index`` yields.
Item = tuple[bytes, int, float, bytes]

_findall = TOKEN_PATTERN.findall
_caches: dict[tuple, dict] = {}
#: Raw tokens remembered per analyzer before the cache starts over (memory bound).
CACHE_SIZE = 500_000


def field_items(field, value) -> tuple[list[Item], int]:
    """The posting items of ``value`` in ``field`` and the field length Whoosh records."""
    analyzer = getattr(field, "analyzer", None)
    if type(analyzer) is IDTokenizer and type(field.format) is Existence and isinstance(value, str) and value:
        return [(value.encode("utf-8"), 1, field.format.field_boost, b"")], 0  # an ID: the value is the term
    if type(analyzer) is DutchAnalyzer and isinstance(value, str) and type(field.format) in _VALUE_ENCODERS:
        return _dutch_items(field, analyzer, value)
    items = list(field.index(value))
    return items, (sum(item[1] for item in items) if field.scorable else 0)


def _token_terms(analyzer: DutchAnalyzer) -> dict:
    """Raw token -> ``(((term, offset), ...), positions it takes)`` for ``analyzer``."""
    key = (analyzer.config, analyzer.parts)
    cache = _caches.get(key)
    if cache is None or len(cache) >= CACHE_SIZE:
        cache = _caches[key] = {}
    return cache


def _analyse_token(analyzer: DutchAnalyzer, raw: str) -> tuple[tuple, int]:
    terms = tuple((t.text, t.pos) for t in analyzer(raw, positions=True, mode="index"))
    subs = None if raw.isalnum() else expand_connected(raw, keep_whole=False)
    width = 1 if not subs else subs[-1][3] + 1
    return terms, width


def _term_positions(analyzer: DutchAnalyzer, value: str) -> tuple[dict[str, list[int]], int]:
    cache = _token_terms(analyzer)
    positions: dict[str, list[int]] = {}
    pos = length = 0
    for raw in _findall(value):
        entry = cache.get(raw)
        if entry is None:
            entry = cache[raw] = _analyse_token(analyzer, raw)
        terms, width = entry
        for term, offset in terms:
            seen = positions.get(term)
            if seen is None:
                positions[term] = [pos + offset]
            else:
                seen.append(pos + offset)
        length += len(terms)
        pos += width
    return positions, length


_single_position: dict[int, bytes] = {}


def _encode_positions(poses: list[int]) -> bytes:
    """``Positions.encode``, with the common one-position lists cached."""
    if len(poses) == 1:
        encoded = _single_position.get(poses[0])
        if encoded is None:
            encoded = _single_position[poses[0]] = pack_uint(1) + dumps(poses, 2)
        return encoded
    deltas = [poses[0]] + [b - a for a, b in zip(poses, poses[1:])]
    return pack_uint(len(deltas)) + dumps(deltas, 2)


def _encode_frequency(poses: list[int]) -> bytes:
    return pack_uint(len(poses))


_VALUE_ENCODERS = {Positions: _encode_positions, Frequency: _encode_frequency}


def _dutch_items(field, analyzer, value):
    positions, length = _term_positions(analyzer, value)
    boost, encode = field.format.field_boost, _VALUE_ENCODERS[type(field.format)]
    items = [(term.encode("utf-8"), len(poses), len(poses) * boost, encode(poses))
             for term, poses in positions.items()]
    return items, (length if field.scorable else 0)
