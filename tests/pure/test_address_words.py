"""Folding names into searchable words, and the index range of a prefix."""

from addressbook.words import name_words, prefix_upper_bound, query_words, starts_with, words


def test_accents_case_and_hyphens_are_folded_into_words():
    assert words("Marie-Hélène") == ["marie", "helene", "mariehelene"]
    assert words("LE GALL") == ["le", "gall", "legall"]
    assert words("Zoé") == ["zoe"]
    assert words("Lætitia Cœur") == ["laetitia", "coeur", "laetitiacoeur"]
    assert words("") == []


def test_a_person_is_found_by_first_name_last_name_and_address():
    assert name_words("Hélène", "Lefèvre", "helene.lefevre2") == ["helene", "lefevre", "lefevre2"]
    assert name_words("Jérôme", "Le Gall", "jerome.le-gall") == ["jerome", "le", "gall", "legall"]


def test_what_is_typed_becomes_prefixes():
    assert query_words("  Hélène  MART ") == ["helene", "mart"]
    assert query_words("jean.dupont@ex") == ["jean", "dupont", "ex"]
    assert query_words("'; --") == []


def test_the_upper_bound_is_just_above_every_word_with_the_prefix():
    assert prefix_upper_bound("hel") == "hem"
    assert prefix_upper_bound("hez") == "hf"
    assert prefix_upper_bound("a9") == "aa"
    assert prefix_upper_bound("zz") is None
    for word in ["hel", "helene", "helzzz", "hel9"]:
        assert "hel" <= word < prefix_upper_bound("hel")
    assert not prefix_upper_bound("hel") > "hem"


def test_starts_with_ignores_accents_and_case():
    assert starts_with("helene m", "Hélène Martin")
    assert starts_with("MART", "x", "martin@example.org")
    assert not starts_with("martin", "Hélène Martin")
    assert not starts_with("", "Hélène")
