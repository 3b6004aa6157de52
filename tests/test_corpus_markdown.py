from beleidzoek.corpus.markdown import front_matter, inline, parse_markdown
from beleidzoek.corpus.walk import read_file

PAGE = """---
title: "Algoritmeregister"
date: 2024-03-05
description: >
  Waarom overheden hun algoritmes
  openbaar maken.
tags:
  - transparantie
---

# Het register

Overheden publiceren hun **algoritmes** in het [Algoritmeregister](https://algoritmes.overheid.nl).
Zo kan *iedereen* zien welke `impactvolle` algoritmes er zijn.

![Schermafdruk van het register](img/register.png)

<!-- interne notitie: niet publiceren -->

## Tabel

| Organisatie | Aantal |
|---|--:|
| Gemeente Utrecht | 12 |

```python
print("code hoort niet in de index")
```

- eerste punt
- tweede punt met <b>html</b>

Setext kop
----------

Tekst onder de setext kop met een [verwijzing][ref].

[ref]: https://example.org
"""


def test_page(tmp_path):
    document = parse_markdown(PAGE, "algoritmeregister", "guidance")
    assert document.title == "Algoritmeregister"
    assert document.date == "2024-03-05"
    assert document.extra == {"description": "Waarom overheden hun algoritmes openbaar maken."}
    assert [p.section for p in document.passages] == [None, "Het register", "Tabel", "Setext kop"]
    texts = [p.text for p in document.passages]
    assert texts[0] == "Waarom overheden hun algoritmes openbaar maken."
    assert texts[1] == (
        "Het register\n\nOverheden publiceren hun algoritmes in het Algoritmeregister. "
        "Zo kan iedereen zien welke impactvolle algoritmes er zijn."
    )
    assert texts[2] == "Tabel\n\nOrganisatie | Aantal\nGemeente Utrecht | 12\n\neerste punt\ntweede punt met html"
    assert texts[3] == "Setext kop\n\nTekst onder de setext kop met een verwijzing."
    joined = "\n".join(texts)
    removed = ("print", "https://", "img/register", "Schermafdruk", "interne notitie", "**", "`", "<b>", "[ref]")
    for gone in removed:
        assert gone not in joined
    assert {p.kind for p in document.passages} == {"guidance"}


def test_title_falls_back_to_heading_then_file_name():
    assert parse_markdown("Intro.\n\n## Sub\n\n# Hoofdtitel\n\nTekst.", "stem").title == "Hoofdtitel"
    assert parse_markdown("Alleen tekst, geen kop.", "bestandsnaam").title == "bestandsnaam"
    assert parse_markdown("---\ntitle: Uit front matter\n---\n# Kop\n", "x").title == "Uit front matter"


def test_sections_are_not_merged_across_headings():
    text = "# Een\n\nKort.\n\n# Twee\n\nOok kort.\n"
    document = parse_markdown(text, "kort")
    assert [(p.section, p.text) for p in document.passages] == [("Een", "Een\n\nKort."), ("Twee", "Twee\n\nOok kort.")]


def test_long_section_is_split_and_keeps_its_heading():
    sentence = "Dit is een zin over informatiebeveiliging bij de overheid. "
    text = "# Beveiliging\n\n" + sentence * 60
    document = parse_markdown(text, "lang")
    assert len(document.passages) >= 2
    assert {p.section for p in document.passages} == {"Beveiliging"}
    assert all(len(p.text.split()) <= 250 for p in document.passages)


def test_front_matter():
    meta, body = front_matter("---\ntitle: 'Een: titel'\ndraft: true\nempty:\n---\nTekst")
    assert meta == {"title": "Een: titel", "draft": "true"}
    assert body == "Tekst"
    assert front_matter("+++\ntitle = \"Hugo\"\n+++\nTekst") == ({"title": "Hugo"}, "Tekst")
    assert front_matter("Geen front matter\n---\n") == ({}, "Geen front matter\n---\n")


def test_inline():
    assert inline("[tekst](https://x.nl/a_(b)) en ![plaatje](p.png)") == "tekst en"
    assert inline("snake_case_naam en _nadruk_ en __vet__") == "snake_case_naam en nadruk en vet"
    assert inline("a &amp; b &lt;c&gt; {{< shortcode >}} { .md-button }") == "a & b <c>"
    assert inline("<https://developer.overheid.nl>") == "https://developer.overheid.nl"


def test_markdown_file_is_read_by_extension(tmp_path):
    folder = tmp_path / "blog"
    folder.mkdir()
    (folder / "post.md").write_text("# Nieuwe post\n\nEen bericht.\n", encoding="utf-8")
    (folder / "ander.markdown").write_text("Tekst.\n", encoding="utf-8")
    first = read_file(folder / "post.md").documents[0]
    assert (first.doc_id, first.kind, first.title) == ("post", "blog", "Nieuwe post")
    assert first.path == str(folder / "post.md")
    assert read_file(folder / "ander.markdown").documents[0].title == "ander"


def test_markdown_with_only_code_is_skipped(tmp_path):
    path = tmp_path / "code.md"
    path.write_text("```\nnpm install\n```\n", encoding="utf-8")
    result = read_file(path)
    assert result.documents == []
    assert [s.reason for s in result.skipped] == ["no text to index"]
