import pytest

from accounts.usernames import UsernameError, base_username, free_username


@pytest.mark.parametrize(
    ("first_name", "last_name", "expected"),
    [
        ("Jean", "Dupont", "jean.dupont"),
        ("Jean-Marie", "Dupont", "jean-marie.dupont"),
        ("Hélène", "N'Diaye", "helene.n-diaye"),
        ("Hélène", "N’Diaye", "helene.n-diaye"),  # typographic apostrophe
        ("Anne Sophie", "De La Fontaine", "anne-sophie.de-la-fontaine"),
        ("  Anne   Sophie ", "  Martin  ", "anne-sophie.martin"),
        ("Jean--Marie", "Dupont-", "jean-marie.dupont"),
        ("'Chloé'", "(Lefèvre)", "chloe.lefevre"),
        ("Jean.", "St. John", "jean.st-john"),
        ("Œdipe", "Cœur", "oedipe.coeur"),
        ("Lætitia", "Æsir", "laetitia.aesir"),
        ("Heinz", "Weiß", "heinz.weiss"),
        ("Søren", "Kierkegård", "soren.kierkegard"),
        ("Łukasz", "Wałęsa", "lukasz.walesa"),
        ("François", "Çağlar", "francois.caglar"),
        ("ÉLODIE", "MÜLLER", "elodie.muller"),
        ("Zoë", "D'Aboville", "zoe.d-aboville"),
        ("ﬁona", "Ĳssel", "fiona.ijssel"),  # compatibility ligatures (NFKD)
        ("Ngozi", "Okonkwo_Adé", "ngozi.okonkwo-ade"),
        ("A" * 80, "B", "a" * 30 + ".b"),
    ],
)
def test_base_username(first_name, last_name, expected):
    assert base_username(first_name, last_name) == expected


@pytest.mark.parametrize(
    ("first_name", "last_name", "code"),
    [
        ("", "Dupont", "first_name"),
        ("  ", "Dupont", "first_name"),
        ("'-'", "Dupont", "first_name"),
        ("Jean", "", "last_name"),
        ("Jean", "张伟", "last_name"),  # no Latin letter to keep
    ],
)
def test_a_name_without_letters_is_a_clear_error(first_name, last_name, code):
    with pytest.raises(UsernameError) as error:
        base_username(first_name, last_name)
    assert error.value.code == code


@pytest.mark.parametrize(
    ("taken", "expected"),
    [
        (set(), "jean.dupont"),
        ({"jean.dupont"}, "jean.dupont2"),
        ({"jean.dupont", "jean.dupont2"}, "jean.dupont3"),
        ({"jean.dupont", "jean.dupont3"}, "jean.dupont2"),
        ({"jean.dupont2"}, "jean.dupont"),
        ({"jean.dupont", "jean.dupont-marie"}, "jean.dupont2"),
    ],
)
def test_a_clash_gets_the_first_free_number(taken, expected):
    assert free_username("jean.dupont", taken) == expected
