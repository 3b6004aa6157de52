"""Facet counts: how the matching passages spread over kind, year, party and ministry.

Counted over every matching passage, not just the page shown, from the
``kind``/``year`` columns and the ``party``/``ministry`` keyword postings (a
few dozen values), so the cost is one pass over the matches. Every passage has
one kind and one year ("unknown" when undated), so those counts add up to the
total; a passage has no party or ministry unless it comes from a Kamervraag,
and may have several (co-submitters of different parties).
"""

from __future__ import annotations

from collections import Counter

from .documents import NO_YEAR, year_label

FACETS = ("kind", "year", "party", "ministry")


def facet_counts(searcher, docnums) -> dict[str, dict[str, int]]:
    """``{"kind": {...}, "year": {...}, "party": {...}, "ministry": {...}}`` for
    the passages ``docnums``; kinds, parties and ministries most frequent first,
    years newest first with "unknown" last."""
    reader = searcher.reader()
    docnums = docnums if isinstance(docnums, (set, frozenset)) else set(docnums)
    if not docnums:  # (an empty index has no columns to read)
        return {name: {} for name in FACETS}
    kinds, years = reader.column_reader("kind"), reader.column_reader("year")
    kind = Counter(kinds[d] or "unknown" for d in docnums)
    year = Counter(year_label(years[d]) for d in docnums)
    return {
        "kind": _most_common(kind),
        "year": _newest_first(year),
        "party": _keyword_counts(reader, "party", docnums),
        "ministry": _keyword_counts(reader, "ministry", docnums),
    }


def _newest_first(years: Counter) -> dict[str, int]:
    ordered = sorted((y for y in years if y != NO_YEAR), reverse=True)
    if NO_YEAR in years:
        ordered.append(NO_YEAR)
    return {year: years[year] for year in ordered}


def _keyword_counts(reader, fieldname: str, docnums: set) -> dict[str, int]:
    counts = Counter()
    for value in reader.field_terms(fieldname):
        found = sum(1 for docnum in reader.postings(fieldname, value).all_ids() if docnum in docnums)
        if found:
            counts[value] = found
    return _most_common(counts)


def _most_common(counts: Counter) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

