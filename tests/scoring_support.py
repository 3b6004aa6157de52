"""What a keyword query's best k are checked against: every match of it
scored through its Whoosh matcher, in one segment."""

from beleidzoek.search.collect import matcher_lists
from beleidzoek.search.filters import filter_query
from beleidzoek.search.matching import CachedFilter


def every_score(units, leaf, filtered: bool) -> tuple[dict, object]:
    """``({docnum: score} of every match in the segment ``leaf``, context)``;
    ``filtered``: of the Kamervragen of 2016-2022 only, as the context allows."""
    ids, scores = matcher_lists(units.matcher(leaf, leaf.context()))
    everything = dict(zip(ids, scores))
    context = leaf.context()
    if filtered:
        allowed = CachedFilter(filter_query("kamervraag", "2016", "2022")).docs(leaf)[1]
        context = context.set(allowed=allowed)
        everything = {d: score for d, score in everything.items() if d in allowed}
    return everything, context


def best(scores: dict, k: int) -> list:
    """The ``k`` best ``(docnum, score)``, ties to the lower docnum (as the collector)."""
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]
