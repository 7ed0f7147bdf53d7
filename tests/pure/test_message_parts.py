"""Reading the parts and the subject of a raw message, for downloads and file names."""

from email.message import EmailMessage

from mailbox.parsing import header_subject, iter_part_bytes, parse_message


def sample():
    message = EmailMessage()
    message["Subject"] = "Réunion parents–professeurs"
    message.set_content("Bonjour,\n\nSubject: not a header\n")
    message.add_attachment(b"%PDF-1.4 a", maintype="application", subtype="pdf", filename="a.pdf")
    message.add_attachment(b"\x89PNG b", maintype="image", subtype="png", filename="b.png")
    return message.as_bytes()


def test_only_the_asked_parts_come_out_decoded_in_message_order():
    raw = sample()
    ids = {a.filename: a.part_id for a in parse_message(raw).attachments}

    parts = list(iter_part_bytes(raw, {ids["b.png"], ids["a.pdf"]}))

    assert parts == [(ids["a.pdf"], b"%PDF-1.4 a"), (ids["b.png"], b"\x89PNG b")]


def test_the_subject_is_read_from_the_header_section_only():
    assert header_subject(sample()) == "Réunion parents–professeurs"
    assert header_subject(b"From: a@b\r\n\r\nSubject: in the body\r\n") == ""
    assert header_subject(b"Subject: =?iso-8859-1?q?=E9t=E9?=\n\nx") == "été"
    assert header_subject(b"") == ""
