"""Filters: what ``kind:``, ``date:``, ``party:`` ... in a query and ``--kind``,
``--since``, ``--party`` ... on the command line restrict the results to.

Filters select without ranking; the values are checked here, so a bad kind or
date is a :class:`~.syntax.QueryError` naming what is wrong.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import TYPE_CHECKING, Iterable

from ..corpus.kinds import DOCUMENT_KINDS, PASSAGE_KINDS
from .syntax import WILDCARDS, QueryError, check_wildcard_prefix, field_example, missing_value

if TYPE_CHECKING:
    from whoosh.query import Query

#: What ``--kind`` and ``kind:`` accept besides the passage kinds.
KIND_ALIASES = {
    "kamervraag": ("question", "answer"), "kamervragen": ("question", "answer"),
    "vraag": ("question",), "vragen": ("question",), "questions": ("question",),
    "antwoord": ("answer",), "antwoorden": ("answer",), "answers": ("answer",),
    "blogs": ("blog",), "wet": ("law",), "wetten": ("law",), "laws": ("law",),
    "nieuws": ("news",), "richtlijn": ("guidance",), "handreiking": ("guidance",),
}
DOC_KIND_ALIASES = {"kamervragen": "kamervraag", "blogs": "blog", "laws": "law", "wet": "law",
                    "wetten": "law", "nieuws": "news"}
#: Metadata fields ``--party`` and friends (and ``party:`` in queries) filter on.
METADATA_FIELDS = ("submitter", "party", "ministry", "topic")

_ZAAKNUMMER = re.compile(r"\d{4}Z\d{5}", re.I)
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\Z")


# --------------------------------------------------------------------------
# Checking values
# --------------------------------------------------------------------------


def parse_kinds(values: str | Iterable[str] | None) -> tuple[str, ...]:
    """Passage kinds for ``--kind`` values ("answer", "kamervraag", "blog,law", ...)."""
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    kinds: list[str] = []
    for value in values:
        for part in re.split(r"[,\s]+", value.strip().lower()):
            if not part:
                continue
            if part in PASSAGE_KINDS:
                found = (part,)
            elif part in KIND_ALIASES:
                found = KIND_ALIASES[part]
            else:
                raise QueryError(f"unknown kind '{part}'; choose from "
                                 f"{', '.join(PASSAGE_KINDS)} or kamervraag")
            kinds.extend(k for k in found if k not in kinds)
    return tuple(kinds)


def parse_date(value: str, *, end: bool = False, what: str = "date") -> str:
    """An ISO date from ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; with ``end`` the last
    day of a year or month is used. Raises QueryError naming ``what``."""
    text = str(value).strip()
    match = _DATE.match(text)
    if not match:
        raise QueryError(f"bad {what} '{text}': use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    try:
        y = int(year)
        if month is None:
            result = _dt.date(y, 12, 31) if end else _dt.date(y, 1, 1)
        elif day is None:
            m = int(month)
            first = _dt.date(y, m, 1)
            if end:
                following = _dt.date(y + (m == 12), m % 12 + 1, 1) if y < 9999 or m < 12 else None
                result = following - _dt.timedelta(days=1) if following else _dt.date(9999, 12, 31)
            else:
                result = first
        else:
            result = _dt.date(y, int(month), int(day))
    except ValueError:
        raise QueryError(f"bad {what} '{text}': no such date") from None
    return result.isoformat()


def date_range(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """Validated ``(start, end)`` ISO bounds for ``--since``/``--until``."""
    start = parse_date(since, what="--since date") if since not in (None, "") else None
    stop = parse_date(until, end=True, what="--until date") if until not in (None, "") else None
    if start and stop and start > stop:
        raise QueryError(f"--since {since} is after --until {until}")
    return start, stop


def day_range(start: str | None, stop: str | None) -> Query:
    """Passages dated ``start``..``stop`` (ISO dates, both included; None: open),
    as a range over the numeric ``day`` field; undated passages have no ``day``."""
    from whoosh.query import NumericRange

    from ..index.schema import day_number

    return NumericRange("day", day_number(start) if start else None,
                        day_number(stop) if stop else None)


# --------------------------------------------------------------------------
# Filter queries
# --------------------------------------------------------------------------


def filter_query(kind: str | Iterable[str] | None = None, since: str | None = None,
                 until: str | None = None, **metadata: str | Iterable[str] | None) -> Query | None:
    """The constant-score filter for ``--kind``/``--since``/``--until`` and the
    :data:`METADATA_FIELDS` (``party="SP"``; several values of one field are
    alternatives), or None."""
    from whoosh.query import And, Term

    from .matching import ConstantScore, any_of

    parts = []
    kinds = parse_kinds(kind)
    if kinds:
        parts.append(any_of([Term("kind", k) for k in kinds]))
    start, stop = date_range(since, until)
    if start or stop:
        parts.append(day_range(start, stop))
    for fieldname, values in metadata.items():
        if fieldname not in METADATA_FIELDS:
            raise TypeError(f"filter_query() got an unexpected filter {fieldname!r}")
        values = [values] if isinstance(values, str) else list(values or ())
        if values:
            parts.append(any_of([metadata_value(fieldname, value) for value in values]))
    if not parts:
        return None
    return ConstantScore(parts[0] if len(parts) == 1 else And(parts), 0.0)


def field_value(fieldname: str, value: str) -> Query:
    """The query for ``fieldname:value`` in a query, for one of the filter fields."""
    from whoosh.query import Or, Term

    from .matching import any_of

    raw = value.strip()
    if not raw:
        raise missing_value(fieldname)
    if fieldname == "kind":
        return any_of([Term("kind", k) for k in parse_kinds(raw)])
    if fieldname == "doc_kind":
        kind = DOC_KIND_ALIASES.get(raw.lower(), raw.lower())
        if kind not in DOCUMENT_KINDS:
            raise QueryError(f"unknown doc_kind '{raw}'; choose from {', '.join(DOCUMENT_KINDS)}")
        return Term("doc_kind", kind)
    if fieldname == "doc_id":
        if any(c in raw for c in WILDCARDS):
            return _id_wildcard("doc_id", raw)
        if _ZAAKNUMMER.fullmatch(raw):
            number = raw.upper()
            return Or([Term("doc_id", raw), Term("doc_id", number),
                       Term("doc_id", f"kamervraag-{number}")])
        return Term("doc_id", raw)
    if fieldname == "number":
        return Term("number", raw)
    if fieldname == "date":
        return _date_value(raw)
    if fieldname == "year":
        return _year_value(raw)
    return metadata_value(fieldname, raw)


def _date_value(raw: str) -> Query:
    if ".." in raw:
        start, _, end = raw.partition("..")
        lo = parse_date(start, what="date") if start else None
        hi = parse_date(end, end=True, what="date") if end else None
        if not lo and not hi:
            raise QueryError(f"bad date range '{raw}': use e.g. date:2017-01..2017-06")
        if lo and hi and lo > hi:
            raise QueryError(f"bad date range '{raw}': start is after end")
        return day_range(lo, hi)
    return day_range(parse_date(raw, what="date"), parse_date(raw, end=True, what="date"))


def _year_value(raw: str) -> Query:
    from whoosh.query import NumericRange

    match = re.fullmatch(r"(\d{4})?(?:(\.\.)(\d{4})?)?", raw)
    if not match or not (match.group(1) or match.group(3)):
        raise QueryError(f"bad year '{raw}': use e.g. year:2017 or year:2016..2018")
    start, dots, end = match.groups()
    start = int(start) if start else None
    end = int(end) if end else (start if not dots else None)
    if start and end and start > end:
        raise QueryError(f"bad year range '{raw}': start is after end")
    return NumericRange("year", start, end)


def metadata_value(fieldname: str, raw: str) -> Query:
    """The query for one ``submitter``/``party``/``ministry``/``topic`` value,
    case-insensitive; a keyword value also matches as a whole word inside a
    longer one ("justitie" finds "justitie en veiligheid")."""
    from whoosh.query import Phrase, Term

    from .matching import KeywordContains

    raw = " ".join(str(raw).split())
    if not raw:
        raise missing_value(fieldname)
    if fieldname == "submitter":
        words = re.findall(r"\w+", raw.lower())
        if not words:
            raise QueryError(f"'submitter:' needs a name, e.g. {field_example('submitter')}")
        if len(words) == 1:
            if any(c in raw for c in WILDCARDS):
                return _id_wildcard("submitter", raw.lower())
            return Term("submitter", words[0])
        return Phrase("submitter", words)
    text = raw.lower()
    if any(c in text for c in WILDCARDS):
        return _id_wildcard(fieldname, text)
    return KeywordContains(fieldname, text)


def _id_wildcard(fieldname: str, raw: str) -> Query:
    """A wildcard over an identifier or keyword field (more expansions than words get)."""
    from .matching import BoundedWildcard

    check_wildcard_prefix(raw, raw, unit="characters")
    return BoundedWildcard(fieldname, raw, max_expansions=1000)
