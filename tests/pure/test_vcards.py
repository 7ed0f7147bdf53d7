"""Reading, writing, normalising and merging vCards (pure), on real samples and small
hand-made cards."""

import io

import pytest
from PIL import Image

from addressbook import vcards
from addressbook.photos import PhotoUnreadable, safe_photo
from tests.conftest import CORPUS_DIR

VCARD_DIR = CORPUS_DIR / "vcard"


def corpus(name):
    path = VCARD_DIR / name
    if not path.is_file():
        pytest.skip(f"vCard corpus absent: {path}")
    return path.read_bytes()


def one(text):
    result = vcards.read_cards(text.encode("utf-8"))
    assert result.skipped == []
    return result.cards[0].contact


def test_vcard3_fields_are_read():
    contact = one(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u1\r\nFN:Hélène Dubois\r\nN:Dubois;Hélène;;;\r\n"
        "EMAIL;TYPE=INTERNET,WORK:Helene@Example.org\r\nEMAIL;TYPE=HOME:h@example.net\r\n"
        "TEL;TYPE=CELL:+33 6 01\r\nORG:Collège Jean Moulin;Lettres\r\nTITLE:Professeure\r\n"
        "ADR;TYPE=WORK:;;3 rue des Écoles;Montpellier;;34000;France\r\n"
        "NOTE:Salle 12\\nBâtiment B\r\nCATEGORIES:Collègues,Parents\r\nEND:VCARD\r\n"
    )
    assert contact.uid == "u1"
    assert (contact.given_name, contact.family_name) == ("Hélène", "Dubois")
    assert contact.emails == (("work", "helene@example.org"), ("home", "h@example.net"))
    assert contact.phones == (("cell", "+33 6 01"),)
    assert contact.organisation == "Collège Jean Moulin – Lettres"
    assert contact.address.lines() == ["3 rue des Écoles", "34000 Montpellier", "France"]
    assert contact.note == "Salle 12\nBâtiment B"
    assert contact.categories == ("Collègues", "Parents")


def test_vcard4_with_uri_values_is_read():
    contact = one(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Simon Perreault\r\nN:Perreault;Simon;;;\r\n"
        "TEL;VALUE=uri;TYPE=work:tel:+1-418-656-9254\r\nEMAIL;TYPE=work:simon@example.com\r\n"
        "END:VCARD\r\n"
    )
    assert contact.phones == (("work", "+1-418-656-9254"),)
    assert contact.email_addresses == ["simon@example.com"]


def test_vcard21_quoted_printable_is_decoded():
    contact = one(
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Lef=C3=A8vre;Marc\r\n"
        "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Marc Lef=C3=A8=\r\nvre\r\nEND:VCARD\r\n"
    )
    assert contact.display_name == "Marc Lefèvre"
    assert contact.family_name == "Lefèvre"


def test_utf16_file_is_read():
    result = vcards.read_cards(corpus("roundcube/utf-16_sample.vcf"))
    assert [card.contact.display_name for card in result.cards] == ["Ǽgean ĽdaMonté"]


def test_cards_without_name_email_or_phone_are_skipped_with_the_reason():
    result = vcards.read_cards(
        b"BEGIN:VCARD\nVERSION:3.0\nFN:Kept\nEND:VCARD\n"
        b"BEGIN:VCARD\nVERSION:3.0\nNOTE:nothing\nEND:VCARD\n"
    )
    assert [card.contact.display_name for card in result.cards] == ["Kept"]
    assert result.skipped == [vcards.Skipped(2, "", vcards.NO_NAME)]


@pytest.mark.parametrize("data", [b"", b"hello", b"BEGIN:VCALENDAR\nEND:VCALENDAR\n"])
def test_other_files_are_not_vcards(data):
    assert vcards.read_cards(data).skipped == [vcards.Skipped(1, "", vcards.NOT_A_VCARD)]


def test_a_broken_photo_does_not_lose_the_person():
    result = vcards.read_cards(corpus("radicale/contact_photo_with_data_uri.vcf"))
    assert [card.contact.display_name for card in result.cards] == ["Contact"]


def test_every_corpus_file_reads_without_raising():
    if not VCARD_DIR.is_dir():
        pytest.skip(f"vCard corpus absent: {VCARD_DIR}")
    for path in sorted(p for p in VCARD_DIR.rglob("*") if p.is_file()):
        result = vcards.read_cards(path.read_bytes())
        assert result.cards or result.skipped, path
        for card in result.cards:
            assert vcards.parse_vcard(card.vcard).uid == card.contact.uid
            assert "VERSION:4.0" in vcards.to_vcard4(card.vcard)


def test_written_card_reads_back_the_same():
    contact = vcards.Contact(
        uid="abc",
        formatted_name="Zoé Martin",
        given_name="Zoé",
        family_name="Martin",
        emails=(("work", "zoe@example.org"), ("other", "z@example.net")),
        phones=(("cell", "06 01"), ("fax", "04 02")),
        organisation="Lycée",
        title="CPE",
        address=vcards.Address("1 rue A", "Sète", "34200", "", "France"),
        note="deux\nlignes; virgule, fin",
        categories=("Collègues", "Vie scolaire"),
    )
    again = vcards.parse_vcard(vcards.write_vcard(contact))
    assert again == contact


def test_properties_we_do_not_edit_are_kept():
    original = vcards.read_component(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:x\r\nFN:Old\r\nBDAY:1980-05-21\r\n"
        "URL:https://example.org\r\nX-CUSTOM:kept\r\nEND:VCARD\r\n"
    )
    text = vcards.write_vcard(vcards.Contact(uid="x", formatted_name="New"), keep_from=original)
    assert "FN:New" in text
    assert "BDAY:1980-05-21" in text
    assert "X-CUSTOM:kept" in text
    assert "FN:Old" not in text


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Jean Dupont", "dupont  JEAN"),
        ("Hélène Martin", "Helene Martin"),
        ("Le Gall, Anne", "anne le gall"),
    ],
)
def test_name_key_ignores_order_accents_case_and_punctuation(first, second):
    assert vcards.name_key(vcards.Contact(formatted_name=first)) == vcards.name_key(
        vcards.Contact(formatted_name=second)
    )


def test_search_key_holds_folded_words():
    key = vcards.search_key(
        vcards.Contact(formatted_name="Hélène Le Gall", emails=(("work", "h.legall@ac-x.fr"),))
    )
    for word in ("helene", "le", "gall", "legall", "ac"):
        assert f" {word}" in key


def test_duplicate_groups_by_email_or_name():
    groups = vcards.duplicate_groups(
        [
            (1, "dupont jean", ["jean@x.fr"]),
            (2, "", ["JEAN@x.fr"]),
            (3, "dupont jean", []),
            (4, "autre", ["autre@x.fr"]),
            (5, "autre personne", ["p@x.fr"]),
        ]
    )
    assert groups == [[1, 2, 3]]


def test_merge_keeps_every_address_and_phone_and_the_chosen_fields():
    a = vcards.Contact(
        uid="a",
        formatted_name="Jean Dupont",
        emails=(("work", "jean@x.fr"),),
        phones=(("work", "04 67 00"),),
        organisation="Collège",
        categories=("Collègues",),
    )
    b = vcards.Contact(
        uid="b",
        formatted_name="J. Dupont",
        emails=(("home", "JEAN@x.fr"), ("home", "jd@y.fr")),
        phones=(("cell", "0467 00"), ("cell", "06 00")),
        organisation="Mairie",
        note="ami",
        categories=("Parents", "Collègues"),
    )
    merged = vcards.merge_contacts([a, b], {"organisation": 1})
    assert merged.uid == "a"
    assert merged.formatted_name == "Jean Dupont"
    assert merged.organisation == "Mairie"
    assert merged.note == "ami"
    assert merged.email_addresses == ["jean@x.fr", "jd@y.fr"]
    assert merged.phones == (("work", "04 67 00"), ("cell", "06 00"))
    assert merged.categories == ("Collègues", "Parents")


def image_bytes(fmt, size=(1000, 500), mode="RGB"):
    out = io.BytesIO()
    Image.new(mode, size, "red").save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize(("fmt", "mode"), [("PNG", "RGBA"), ("GIF", "P"), ("JPEG", "RGB")])
def test_photos_become_small_jpegs(fmt, mode):
    result = Image.open(io.BytesIO(safe_photo(image_bytes(fmt, mode=mode))))
    assert result.format == "JPEG"
    assert result.size == (256, 128)


@pytest.mark.parametrize("data", [b"", b"<svg onload=alert(1)>", b"\xff\xd8\xff truncated"])
def test_what_is_not_an_image_is_refused(data):
    with pytest.raises(PhotoUnreadable):
        safe_photo(data)


APPLE_GROUP = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:testGroupTB\r\nN:testGroupTB;;;;\r\n"
    "X-ADDRESSBOOKSERVER-KIND:GROUP\r\nUID:4529f96e\r\n"
    "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:BFD3DC0B-C4AD\r\n"
    "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:7c0c5d46\r\nEND:VCARD\r\n"
)
VCARD4_GROUP = (
    "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:group\r\nFN:The Doe family\r\nUID:urn:uuid:f1\r\n"
    "MEMBER:urn:uuid:03a0e51f\r\nMEMBER:mailto:Jane@Example.com\r\nEND:VCARD\r\n"
)


@pytest.mark.parametrize(
    ("text", "name", "keys"),
    [
        (APPLE_GROUP, "testGroupTB", ["bfd3dc0b-c4ad", "7c0c5d46"]),
        (VCARD4_GROUP, "The Doe family", ["03a0e51f", "mailto:jane@example.com"]),
    ],
)
def test_groups_are_read_in_both_forms(text, name, keys):
    group = vcards.parse_vcard(text)

    assert group.kind == vcards.GROUP
    assert group.display_name == name
    assert [vcards.member_key(uri) for uri in group.members] == keys


def test_a_group_is_stored_in_apple_form_and_exported_as_vcard4():
    group = vcards.Contact(
        uid="g1", formatted_name="Conseil", kind=vcards.GROUP, members=("urn:uuid:a1",)
    )

    text = vcards.write_vcard(group)
    again = vcards.write_vcard(vcards.parse_vcard(text), keep_from=vcards.read_component(text))

    assert "X-ADDRESSBOOKSERVER-KIND:group" in text
    assert "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:a1" in text
    assert again.count("MEMBER") == 1
    exported = vcards.to_vcard4(text)
    assert "KIND:group" in exported
    assert "\nMEMBER:urn:uuid:a1" in exported.replace("\r\n", "\n")
    assert "X-ADDRESSBOOKSERVER" not in exported


def test_a_contact_is_no_group():
    contact = vcards.parse_vcard(vcards.write_vcard(vcards.Contact(uid="c1", formatted_name="A")))

    assert contact.kind == vcards.INDIVIDUAL
    assert "KIND" not in vcards.write_vcard(contact)
