"""The switches and weights of the scoring model, and its word lists.

Kept apart from :mod:`.ranking` (whose docstring explains every setting) so
the modules that score -- :mod:`.postings`, :mod:`.word_queries`,
:mod:`.ranked_units` -- can read the configuration without importing the
public face that re-exports them.  Pure Python: no Whoosh.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Dutch function words the Snowball stop list (index/data/stopwords.txt)
#: lacks; dropped from long queries only (RankingConfig.function_words),
#: matched on the word as typed -- not its stem, which may be a content word's
#: ("tijdens" and "tijden", "gaat" and "gat").
FUNCTION_WORDS = frozenset("""
    zoals daarbij tussen alle wel welk welke hierbij hiervan daarvan binnen bijvoorbeeld echter
    enkele via sinds tijdens waarbij waarin waarop hierop daarop namelijk steeds zowel ofwel
    alleen even vanuit zeer erg heel nog hierover daarover waarover wordt worden werden zullen
    zouden kunnen moeten mogen willen gaan gaat komt komen heeft hebben hebt had waar wanneer
    waarom hoeveel hoe wat deze dit die dat ons onze jullie hun uw zij wij we ik u er hier daar
    dan toen nu al ook weer zo
""".split())

#: Words that phrase a parliamentary question ("kunt u aangeven", "bent u
#: bereid", "deelt u de mening"); dropping them from long queries is an option
#: (RankingConfig.question_words), off by default: bench/quality.py measures
#: it as a small loss -- answers echo "bereid" and "mening".
QUESTION_WORDS = frozenset("kunt aangeven bent bereid deelt mening klopt hoeverre toelichten".split())


@dataclass(frozen=True)
class RankingConfig:
    """Switches and weights of the scoring model (see :mod:`.ranking`)."""

    #: "bm25": the scorer of :mod:`.ranking`; "legacy": the earlier Whoosh BM25F/BestOf scoring.
    scoring: str = "bm25"
    k1: float = 1.2
    b: float = 0.75
    title_weight: float = 1.0
    parts_weight: float = 0.6
    #: Coordination exponent for short queries, and where it fades out.
    coordination: float = 2.0
    coordination_full_until: int = 3
    coordination_off_from: int = 6
    query_parts_weight: float = 0.6
    variant_weight: float = 0.4
    variant_prefix: int = 6
    variant_min_length: int = 7
    variant_max_terms: int = 10
    variant_max_share: float = 0.05
    proximity_weight: float = 0.4
    proximity_window: int = 4
    #: Neighbouring words may be this many query words apart (stop words between).
    proximity_max_gap: int = 3
    proximity_max_pairs: int = 24
    #: Pairs whose rarer word is in more than this share of the passages are skipped (speed).
    proximity_max_share: float = 0.05
    #: In long queries (``long_query_units``+ units) drop FUNCTION_WORDS / QUESTION_WORDS.
    function_words: bool = True
    question_words: bool = False
    long_query_units: int = 8
    #: From this many units on, hyphenated words count as their parts (HyphenQuery).
    hyphen_split_min_units: int = 8
    #: Read a long query without operators as prose (see :func:`.ranking.as_prose`).
    prose: bool = True
    prose_min_words: int = 8

    def __post_init__(self):
        if self.scoring not in ("bm25", "legacy"):
            raise ValueError(f"unknown scoring {self.scoring!r}; expected 'bm25' or 'legacy'")

    @classmethod
    def legacy(cls, fade: bool = False) -> "RankingConfig":
        """The earlier scoring; ``fade``: with coordination fading for long queries."""
        return cls(scoring="legacy", coordination=2.0,
                   coordination_off_from=6 if fade else 10 ** 9,
                   coordination_full_until=3 if fade else 10 ** 9 - 1,
                   query_parts_weight=0.0, variant_weight=0.0, proximity_weight=0.0,
                   prose=False)

    def exponent(self, units: int) -> float:
        """The coordination exponent for a query of ``units`` units."""
        full, off = self.coordination_full_until, self.coordination_off_from
        if units <= full:
            return self.coordination
        if units >= off:
            return 0.0
        return self.coordination * (off - units) / (off - full)


DEFAULT_RANKING = RankingConfig()


def resolve(ranking: RankingConfig | None) -> RankingConfig:
    """``ranking``, or the default scoring model for None."""
    return DEFAULT_RANKING if ranking is None else ranking
