from beleidzoek.corpus.blog import drop_chrome, is_chrome, looks_like_blog, parse_blog
from beleidzoek.corpus.passages import paragraphs


def test_seed_blog(seeds_dir):
    text = (seeds_dir / "blog-samen-uit-samen-thuis.txt").read_text(encoding="utf-8")
    assert looks_like_blog(text)
    document = parse_blog(text, "blog-samen-uit-samen-thuis")
    assert document.kind == "blog"
    assert document.title == "Samen uit, samen thuis"
    assert document.categories == ["Markt en overheid", "Blog"]
    assert {p.kind for p in document.passages} == {"blog"}
    joined = "\n\n".join(p.text for p in document.passages)
    assert joined.startswith("Samen uit, samen thuis\n\nGemeenten moeten een aantal zaken slimmer gaan organiseren")
    assert joined.endswith("wat het voorbeeld van Hof van Twente helaas duidelijk maakt.")
    for chrome in ("Plaats een reactie", "U moet ingelogd zijn", "Registreren", "Markt en overheid"):
        assert chrome not in joined


def test_seed_blog_gives_the_corpus_text(seeds_dir, corpus_dir):
    """The shared corpus stores the same post without categories and chrome."""
    seed = parse_blog((seeds_dir / "blog-samen-uit-samen-thuis.txt").read_text(encoding="utf-8"), "b")
    stored = (corpus_dir / "blogs" / "blog-samen-uit-samen-thuis.txt").read_text(encoding="utf-8")
    assert "\n\n".join(p.text for p in seed.passages).split() == stored.split()


def test_chrome_is_dropped_anywhere():
    text = (
        "Digitale overheid\nBlog\n\nEen titel\n\nReageer\n\nEerste alinea van het stuk.\nDeel dit artikel\n\n"
        "Deze website maakt gebruik van cookies om uw ervaring te verbeteren.\nAlle cookies accepteren\n\n"
        "Tweede alinea.\n\nLees meer\n"
    )
    document = parse_blog(text, "b")
    assert document.title == "Een titel"
    assert [p.text for p in document.passages] == ["Een titel\n\nEerste alinea van het stuk.\n\nTweede alinea."]


def test_is_chrome():
    assert is_chrome("  Plaats een reactie ")
    assert is_chrome("U moet ingelogd zijn om een reactie te kunnen plaatsen.")
    assert is_chrome("Lees meer")
    assert not is_chrome("Lees meer over de VNG Verenigingsstrategie 2030 in ons rapport.")
    assert drop_chrome("a\nRegistreren\nb") == "a\nb"


def test_ordinary_text_is_not_a_blog_layout(corpus_dir):
    assert not looks_like_blog("Titel\n\nEen alinea.\n\nNog een alinea.\n")
    assert not looks_like_blog("Markt en overheid\nBlog\n\nTitel over twee\nregels\n\nTekst.\n")
    for folder in ("guidance", "blogs", "laws", "news"):
        for path in sorted((corpus_dir / folder).glob("*.txt")):
            assert not looks_like_blog(path.read_text(encoding="utf-8")), path
    assert paragraphs("a\n\n\n b \n \nc") == ["a", "b", "c"]
