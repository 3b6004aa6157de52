"""beleidzoek itself in the speed benchmark: its library search session.

Building is not done here: ``bench/speed.py`` runs the real command,
``beleidzoek --index DIR index CORPUS.jsonl``, in a subprocess. Querying goes
through the library API a program would use -- one ``Searcher`` session,
``searcher.search(text, kind=..., since=..., until=..., limit=10)`` -- so the
figures include beleidzoek's own query parsing (compound parts, expansions),
its title field and the snippets it makes for every hit returned.
"""

from __future__ import annotations

from pathlib import Path

from peers import TOP, Engine


def _searcher_class():
    try:
        from beleidzoek.search import Searcher
    except ImportError:
        from beleidzoek.search.results import Searcher
    return Searcher


class Beleidzoek(Engine):
    name = "beleidzoek"

    def build(self, index_dir: Path, corpus: Path) -> dict:  # pragma: no cover - see speed.py
        raise NotImplementedError("beleidzoek builds through its CLI: beleidzoek index")

    def open(self, index_dir: Path) -> None:
        self.session = _searcher_class()(index_dir)

    def count(self) -> int | None:
        try:
            return self.session.whoosh_searcher.doc_frequency("record", "passage")
        except Exception:  # the schema may change; the count is only a sanity check
            return None

    def search(self, query: dict) -> list[str]:
        options = {}
        if "kind" in query:
            options = {"kind": query["kind"], "since": query["date_from"],
                       "until": query["date_to"]}
        result = self.session.search(query["text"], limit=TOP, **options)
        return [hit.passage_id for hit in result.hits]

    def close(self) -> None:
        self.session.close()
