"""The kinds of documents and passages: what ``--kind`` and ``kind:`` check
against, importable without the data classes of :mod:`.model`."""

#: Document kinds, as in the shared corpus' ``kind`` field.
DOCUMENT_KINDS = ("kamervraag", "guidance", "blog", "law", "news")
#: Passage kinds: a Kamervraag splits into questions and answers, other
#: documents into passages of their own kind.
PASSAGE_KINDS = ("question", "answer", "blog", "guidance", "law", "news")
