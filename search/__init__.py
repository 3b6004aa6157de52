"""Searching a beleidzoek index: queries, hits, documents, statistics, the CLI.

The public API, importable from here (loaded on first use, so importing the
package stays cheap for ``beleidzoek --help``)::

    from beleidzoek.search import Searcher, QueryError
    with Searcher(index_dir) as searcher:
        result = searcher.search("ICT-voorzieningen privatiseren", kind="answer")
        earlier = searcher.similar("Hoe voorkomen gemeenten datalekken bij uitbesteding?")
"""

from ..index.lean_imports import install as _install_lean_imports

_install_lean_imports()

_EXPORTS = {
    "Searcher": "results", "SearchResult": "results", "Hit": "results", "search": "results",
    "QueryError": "query", "ParsedQuery": "query", "parse_query": "query", "build_query": "query",
    "filter_query": "query", "DocumentNotFound": "documents", "IndexStats": "documents",
    "build": "build", "ensure_index": "build",
    "SimilarResult": "similar", "SimilarPair": "similar", "Question": "questions",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{module}"), name)
