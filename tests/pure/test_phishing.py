"""Phishing signs: forged authentication, impersonated colleagues, look-alike domains,
answers that go elsewhere, links that lie; and the whole corpus checked without error."""

import os
from pathlib import Path

import pytest

from mailbox.parsing import parse_message
from mailbox.phishing import (
    AUTH_FAILED,
    IMPERSONATED_COLLEAGUE,
    LOOKALIKE_DOMAIN,
    MISLEADING_LINK,
    NAME_SHOWS_ADDRESS,
    REPLY_TO_ELSEWHERE,
    authentication_failures,
    authentication_results,
    check_message,
    edit_distance,
    imitated_domain,
    is_own_domain,
    misleading_links,
    parse_authentication_results,
    same_person,
)
from mailbox.sanitize import sanitize_html

OURS = ["ac-montpellier.fr"]
CORPUS = Path(
    os.environ.get("CORPUS_DIR", Path(__file__).resolve().parents[3] / "shared" / "corpus")
)
EMAILS = sorted(path for path in (CORPUS / "email").rglob("*") if path.is_file())


def message(headers: str, html: str = "<p>Bonjour</p>") -> bytes:
    return (
        f"{headers}\r\nSubject: Test\r\nMIME-Version: 1.0\r\n"
        f"Content-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n"
    ).encode()


def check(raw: bytes, colleagues=("Sophie Leroy", "Hélène N'Diaye")):
    parsed = parse_message(raw)
    return check_message(
        parsed,
        raw_headers=raw,
        sanitised_html=sanitize_html(parsed.html).html if parsed.html else None,
        organisation_domains=OURS,
        authserv_ids=["mx.ac-montpellier.fr"],
        colleague_names=colleagues,
    )


# ---- Authentication-Results ----------------------------------------------------------


def test_an_rfc_8601_header_is_read_without_its_comments():
    parsed = parse_authentication_results(
        "MX.ac-montpellier.fr 1; spf=fail (sender IP is 203.0.113.9; not permitted) "
        'smtp.mailfrom=x@evil.example; dkim=pass header.d="a;b"; DMARC=FAIL (p=reject)'
    )

    assert parsed.authserv_id == "mx.ac-montpellier.fr"
    assert parsed.results == (("spf", "fail"), ("dkim", "pass"), ("dmarc", "fail"))


@pytest.mark.parametrize(
    ("headers", "failed"),
    [
        (
            "mx.ac-montpellier.fr; spf=fail smtp.mailfrom=a@b.fr; dkim=none; dmarc=fail",
            ("spf", "dmarc"),
        ),
        ("mx.ac-montpellier.fr; spf=pass; dkim=pass; dmarc=pass", ()),
        ("mx.ac-montpellier.fr; none", ()),
        # A failed list signature next to the sender's valid one is no failure.
        ("mx.ac-montpellier.fr; dkim=fail header.d=list.fr; dkim=pass header.d=b.fr", ()),
        # Written by someone else (the sender, or a server on the way): not trusted.
        ("mx.evil.example; spf=fail; dkim=fail; dmarc=fail", ()),
        ("ac-montpellier.fr.evil.example; dmarc=fail", ()),
        ("mx.ac-montpellier.fr; spf=softfail; dkim=neutral; dmarc=none", ()),
    ],
)
def test_only_failures_reported_by_our_own_server_count(headers, failed):
    raw = message(f"Authentication-Results: {headers}\r\nFrom: a@b.fr")

    assert authentication_failures(authentication_results(raw), ["mx.ac-montpellier.fr"]) == failed


def test_a_forged_pass_cannot_hide_our_servers_failure():
    raw = message(
        "Authentication-Results: mx.ac-montpellier.fr; dmarc=fail header.from=b.fr\r\n"
        "Authentication-Results: mx.ac-montpellier.fr; dmarc=pass header.from=b.fr\r\n"
        "From: a@b.fr"
    )

    # Both claim our id; a real pass and a real fail cannot both be true, so we warn.
    assert authentication_failures(authentication_results(raw), ["mx.ac-montpellier.fr"]) == (
        "dmarc",
    )


def test_an_authentication_failure_is_a_warning_about_the_sender():
    assessment = check(
        message("Authentication-Results: mx.ac-montpellier.fr; dmarc=fail\r\nFrom: a@b.fr")
    )

    (warning,) = assessment.warnings
    assert (warning.kind, warning.methods) == (AUTH_FAILED, ("dmarc",))
    assert assessment.doubts_sender


# ---- Display names of colleagues -----------------------------------------------------


@pytest.mark.parametrize(
    "shown",
    [
        "Sophie Leroy",
        "SOPHIE LEROY",
        "Leroy Sophie",
        "helene n'diaye",
        "Hélène N’DIAYE",
        "HELENE N DIAYE",
    ],
)
def test_a_colleagues_name_is_recognised_in_any_spelling(shown):
    assert same_person(shown, ["Sophie Leroy", "Hélène N'Diaye"])


@pytest.mark.parametrize("shown", ["Sophie", "Sophie Leroux", "Sophie Leroy-Martin", ""])
def test_other_names_are_not_colleagues(shown):
    assert not same_person(shown, ["Sophie Leroy"])


def test_a_colleagues_name_on_an_outside_address_is_flagged():
    assessment = check(message('From: "Sophie LEROY" <sophie.leroy.ac@gmail.com>'))

    (warning,) = assessment.warnings
    assert warning.kind == IMPERSONATED_COLLEAGUE
    assert (warning.name, warning.address) == ("Sophie LEROY", "sophie.leroy.ac@gmail.com")
    assert assessment.external_sender


def test_a_colleague_writing_from_our_domain_is_not_flagged():
    assessment = check(message("From: Sophie Leroy <sophie.leroy@ac-montpellier.fr>"))

    assert assessment.warnings == ()
    assert not assessment.external_sender


def test_a_name_showing_another_address_is_flagged():
    assessment = check(
        message('From: "sophie.leroy@ac-montpellier.fr" <compta.paiement@evil.example>')
    )

    (warning,) = assessment.warnings
    assert (warning.kind, warning.name, warning.address) == (
        NAME_SHOWS_ADDRESS,
        "sophie.leroy@ac-montpellier.fr",
        "compta.paiement@evil.example",
    )
    assert assessment.doubts_sender


def test_a_name_showing_its_own_address_is_fine():
    assessment = check(
        message('From: "Sophie.Leroy@ac-montpellier.fr" <sophie.leroy@ac-montpellier.fr>')
    )

    assert assessment.warnings == ()


# ---- Reply-To ------------------------------------------------------------------------


def test_a_reply_to_another_domain_is_flagged():
    assessment = check(
        message("From: Rectorat <info@rectorat-info.fr>\r\nReply-To: <paie@fastmail.example>")
    )

    (warning,) = assessment.warnings
    assert (warning.kind, warning.address) == (REPLY_TO_ELSEWHERE, "paie@fastmail.example")
    assert assessment.doubts_sender


@pytest.mark.parametrize(
    "reply_to",
    [
        "contact@asso-parents.fr",  # same domain
        "contact@www.asso-parents.fr",  # same site
        "liste-profs@ac-montpellier.fr",  # stays inside the organisation
    ],
)
def test_a_reply_to_the_same_site_or_inside_is_not_flagged(reply_to):
    assessment = check(message(f"From: <news@mail.asso-parents.fr>\r\nReply-To: <{reply_to}>"))

    assert assessment.warnings == ()


# ---- Look-alike domains --------------------------------------------------------------


@pytest.mark.parametrize(
    "domain",
    [
        "ac-montpelier.fr",  # a letter missing
        "ac-montpellierr.fr",  # a letter doubled
        "ac-motnpellier.fr",  # two letters swapped
        "ac-rnontpellier.fr",  # rn for m
        "ac-montpe11ier.fr",  # 1 for l
        "ac-m0ntpellier.fr",  # 0 for o
        "аc-montpellier.fr",  # Cyrillic а
        "xn--c-montpellier-v1k.fr",  # the same, as punycode
        "ac-montpellier.com",  # another ending
        "ac-montpelier.com",
        "mail.ac-montpelier.fr",  # on a subdomain
        "academie-montpellier.com",  # our name with other words
        "montpellier-ac.fr",
        "ac-montpellier-fr.net",
        "ac-montpellier.fr.secure-login.example",
    ],
)
def test_domains_imitating_ours_are_caught(domain):
    assert imitated_domain(domain, OURS) == "ac-montpellier.fr"


@pytest.mark.parametrize(
    "domain",
    [
        "ac-montpellier.fr",  # ours
        "lyc-jean-moulin.ac-montpellier.fr",  # ours too
        "ac-toulouse.fr",  # another academy
        "ac-lyon.fr",
        "montpellier.fr",  # the city: shares a place name only
        "ville-montpellier.fr",
        "education.gouv.fr",
        "gmail.com",
        "laposte.net",
    ],
)
def test_our_own_and_unrelated_domains_are_not_flagged(domain):
    assert imitated_domain(domain, OURS) is None


@pytest.mark.parametrize(
    ("domain", "imitated"),
    [
        ("example-mail.com", "example.org"),
        ("secure.example.net", "example.org"),
        ("asso-parents.example", None),  # "example" is only its ending here
        ("sport.example", None),
        ("examplary.org", None),
    ],
)
def test_a_one_word_domain_is_guarded_too(domain, imitated):
    assert imitated_domain(domain, ["example.org"]) == imitated


def test_every_organisation_domain_is_guarded():
    ours = ["ac-montpellier.fr", "region-occitanie.fr"]

    assert imitated_domain("region-ocitanie.fr", ours) == "region-occitanie.fr"
    assert is_own_domain("region-occitanie.fr", ours)
    assert imitated_domain("region-occitanie.fr", ours) is None


def test_a_lookalike_sender_is_flagged_and_marked_external():
    assessment = check(message("From: Rectorat <paie@ac-montpelier.fr>"))

    (warning,) = assessment.warnings
    assert (warning.kind, warning.domain, warning.imitated) == (
        LOOKALIKE_DOMAIN,
        "ac-montpelier.fr",
        "ac-montpellier.fr",
    )
    assert assessment.external_sender
    assert assessment.doubts_sender


def test_swaps_count_as_one_edit():
    assert edit_distance("montpellier", "motnpellier") == 1
    assert edit_distance("abc", "abc") == 0
    assert edit_distance("", "ab") == 2


# ---- Links ---------------------------------------------------------------------------


def links(html: str):
    return misleading_links(sanitize_html(html).html)


def test_a_link_showing_another_site_than_its_target_is_caught():
    found = links(
        '<p>Connectez-vous sur <a href="https://evil.example/login">www.impots.gouv.fr</a>'
        ' ou <a href="http://203.0.113.5/x">https://ent.ac-montpellier.fr/</a></p>'
    )

    assert found == (
        ("www.impots.gouv.fr", "evil.example"),
        ("ent.ac-montpellier.fr", "203.0.113.5"),
    )


@pytest.mark.parametrize(
    "html",
    [
        '<a href="https://www.impots.gouv.fr/portail">impots.gouv.fr</a>',  # same site
        '<a href="https://evil.example/">Cliquez ici</a>',  # no address shown
        '<a href="https://drive.example.com/f/1">rapport.pdf</a>',  # a file name
        '<a href="https://shop.example/">12.50</a>',  # a number
        '<a href="mailto:a@b.fr">www.b.fr</a>',  # not a web link
        "<p>www.impots.gouv.fr</p>",  # not a link at all
    ],
)
def test_honest_links_are_not_flagged(html):
    assert links(html) == ()


def test_misleading_links_do_not_doubt_the_sender():
    assessment = check(
        message(
            "From: <news@asso-parents.fr>",
            html='<a href="https://track.mailer.example/c/1">www.asso-parents.fr</a>',
        )
    )

    (warning,) = assessment.warnings
    assert warning.kind == MISLEADING_LINK
    assert not assessment.doubts_sender


# ---- Every message of the corpus -----------------------------------------------------


@pytest.mark.skipif(not EMAILS, reason=f"the shared e-mail corpus is absent ({CORPUS}/email)")
def test_every_corpus_message_is_checked_without_error():
    for path in EMAILS:
        raw = path.read_bytes()
        parsed = parse_message(raw)
        html = sanitize_html(parsed.html).html if parsed.html else None
        check_message(
            parsed,
            raw_headers=raw,
            sanitised_html=html,
            organisation_domains=OURS,
            authserv_ids=["mx.ac-montpellier.fr"],
            colleague_names=["Sophie Leroy"],
        )
