"""The expansion hook: which runs of query words also search for their synonyms
and acronyms. :mod:`.builder` looks :func:`expansion_spans` up here at query
time, so a test can replace it."""

from __future__ import annotations


def expansion_spans(words: list[str], config=None) -> list[tuple[int, int, list[str]]]:
    """THE hook where query-time expansion comes from.

    For the user's plain query words (in order) it returns ``(start, end,
    alternatives)`` for each run ``words[start:end]`` that is an acronym or
    synonym group member, with the other members' texts ("AVG" ->
    "algemene verordening gegevensbescherming", "gdpr", ...). Backed by
    :func:`beleidzoek.index.synonyms.find_matches` (data in
    ``index/data/synonyms.txt``); without that module nothing is expanded.
    Expansion must never break a search, so errors in it count as "no expansion".
    """
    try:
        from ..index import synonyms
        from ..index.analysis import AnalysisConfig
    except ImportError:
        return []
    find = getattr(synonyms, "find_matches", None)
    if find is None or not words:
        return []
    try:
        matches = find(list(words), config or AnalysisConfig())
    except Exception:
        return []
    spans = []
    for match in matches:
        alternatives = [" ".join(words) for words in match.alternatives if words]
        if alternatives and 0 <= match.start < match.end <= len(words):
            spans.append((match.start, match.end, alternatives))
    return spans


def no_expansion_spans(words: list[str], config=None) -> list[tuple[int, int, list[str]]]:
    """The hook with expansion switched off (``--no-expand``)."""
    return []
