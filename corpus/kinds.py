"""The kinds of documents and passages (what ``--kind`` and ``kind:`` check
against) and passage ids, importable without the data classes of :mod:`.model`."""

#: Document kinds, as in the shared corpus' ``kind`` field.
DOCUMENT_KINDS = ("kamervraag", "guidance", "blog", "law", "news")
#: Passage kinds: a Kamervraag splits into questions and answers, other
#: documents into passages of their own kind.
PASSAGE_KINDS = ("question", "answer", "blog", "guidance", "law", "news")


def passage_id(doc_id: str, position: int) -> str:
    """Stable id of a passage: its document and its place in it."""
    return f"{doc_id}#{position}"
