"""Indexing: the analysis chain, the schema, and writing and opening indexes."""

from .whoosh_imports import install

install()
