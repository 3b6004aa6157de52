"""Indexing: the analysis chain, the schema, and writing and opening indexes."""

from .lean_imports import install

install()
