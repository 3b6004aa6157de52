"""Dutch dates ("2 juni 2017") to ISO dates ("2017-06-02").

Kamervragen print their dates in words; the index and the search filters want
ISO strings, so every reader funnels dates through ``parse_date``.
"""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    "januari": 1, "jan": 1,
    "februari": 2, "feb": 2, "febr": 2,
    "maart": 3, "mrt": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "augustus": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}

# "2 juni 2017", "2\xa0juni 2017", "02 jun. 2017"; the year is required.
_DUTCH = re.compile(
    r"(?<!\d)(\d{1,2})\s+(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?\s+(\d{4})(?!\d)",
    re.IGNORECASE,
)
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def parse_date(text: str | None) -> str | None:
    """The first Dutch ("2 juni 2017") or ISO date in ``text`` as "YYYY-MM-DD".

    None when there is no complete, valid date: "1 januari" has no year and
    "31 februari 2017" does not exist.
    """
    if not text:
        return None
    text = text.replace("\xa0", " ").replace("\u202f", " ")
    for match in _DUTCH.finditer(text):
        day, month, year = int(match[1]), MONTHS[match[2].lower()], int(match[3])
        if found := _iso(year, month, day):
            return found
    for match in _ISO.finditer(text):
        if found := _iso(int(match[1]), int(match[2]), int(match[3])):
            return found
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
