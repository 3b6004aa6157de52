"""The word-frequency lexicon answers the same from its cache file, from memory, and without a cache folder."""

from beleidzoek.index import lexicon
from beleidzoek.index.stemming import fold_accents

WORDS = ["informatie", "beveiliging", "gemeente", "continuiteit", "verwerker", "qqxzv", "ict"]


def test_file_memory_and_fallback_agree(tmp_path, monkeypatch):
    table = lexicon.build_table(fold_accents)
    from_file = lexicon.Lexicon(fold_accents, tmp_path / "lexicon.sqlite")
    assert (tmp_path / "lexicon.sqlite").is_file()
    assert [from_file.get(w) for w in WORDS] == [table.get(w) for w in WORDS]
    assert [w in from_file for w in WORDS] == [w in table for w in WORDS]
    assert from_file.get("qqxzv", 0.0) == 0.0 and from_file.get("informatie") > 0

    monkeypatch.setattr(lexicon, "LOAD_AFTER_LOOKUPS", 3)
    loaded = lexicon.Lexicon(fold_accents, tmp_path / "lexicon.sqlite")
    assert [loaded.get(w) for w in WORDS] == [table.get(w) for w in WORDS]

    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    fallback = lexicon.Lexicon(fold_accents, blocked / "lexicon.sqlite")
    assert [fallback.get(w) for w in WORDS] == [table.get(w) for w in WORDS]
