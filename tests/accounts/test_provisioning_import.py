"""Bulk import from CSV: good rows created, bad rows reported by line, re-import is a no-op."""

from io import StringIO

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from accounts.models import AuditLogEntry, Establishment, User

FRENCH_CSV = (
    "prenom;nom;numen;date_naissance;email_secours;uai;service;fonction\n"
    "Hélène;N'Diaye;07E0123456ABC;17/05/1980;helene@example.net;0340001A;Lettres;Professeure\n"
    "Jean;Dupont;;01/02/1975;;0340001A;;\n"
    "Jean;Dupont;;03/04/1990;;0340002B;Vie scolaire;CPE\n"
    "Inconnu;Uai;;;;9999999Z;;\n"
    "Numen;Faux;123;;;0340001A;;\n"
    "Date;Fausse;;31/02/1980;;0340001A;;\n"
    "'-';Sansprenom;;;;0340001A;;\n"
    "Mail;Faux;;;pas-une-adresse;0340001A;;\n"
    "\n"
    "Œdipe;Cœur;;;;0340002b;;\n"
)


@pytest.fixture
def establishments(db):
    Establishment.objects.create(name="Collège Jean Moulin", uai="0340001A")
    Establishment.objects.create(name="Lycée Joffre", uai="0340002B")


def _import(content: bytes, *options: str, tmp_path) -> str:
    path = tmp_path / "comptes.csv"
    path.write_bytes(content)
    out = StringIO()
    call_command("import_accounts", str(path), *options, stdout=out)
    return out.getvalue()


def test_good_rows_are_created_and_bad_rows_reported_by_line(establishments, tmp_path):
    User.objects.create_user("jean.dupont")  # a namesake elsewhere: the digit

    report = _import(FRENCH_CSV.encode("utf-8-sig"), tmp_path=tmp_path)

    assert "line 5: Unknown establishment (UAI 9999999Z)." in report
    assert "line 6: A NUMEN has exactly 13 letters and digits." in report
    assert "line 7: The date of birth 31/02/1980 is not a date like 31/12/1980." in report
    assert "line 8: The first name has no letter." in report
    assert "line 9: The backup address pas-une-adresse is not an e-mail address." in report
    assert "4 created, 0 already there, 5 in error." in report
    helene = User.objects.get(username="helene.n-diaye")
    assert helene.establishment.uai == "0340001A"
    assert helene.title == "Professeure"
    assert helene.must_change_password
    # One keyed HMAC for the NUMEN and the temporary password (accounts/hashers.py).
    assert helene.numen_hash.startswith("hmac-sha256$")
    assert helene.password == helene.numen_hash
    assert check_password("07E0123456ABC", helene.numen_hash)
    assert helene.check_password("07E0123456ABC")
    jean2, jean3 = (
        User.objects.get(username="jean.dupont2"),
        User.objects.get(username="jean.dupont3"),
    )
    assert not jean2.has_usable_password()  # no NUMEN: the helpdesk gives a password
    assert jean3.department == "Vie scolaire"
    assert User.objects.filter(username="oedipe.coeur").exists()
    assert AuditLogEntry.objects.filter(action="account_created", target=helene).exists()
    summary = AuditLogEntry.objects.get(action="accounts_imported")
    assert summary.details == {"created": 4, "already_there": 0, "errors": 5}


def test_importing_the_same_file_again_changes_nothing(establishments, tmp_path):
    content = FRENCH_CSV.encode("utf-8")
    _import(content, tmp_path=tmp_path)
    before = list(User.objects.order_by("pk").values_list("username", "password"))

    report = _import(content, tmp_path=tmp_path)

    assert "0 created, 4 already there, 5 in error." in report
    assert list(User.objects.order_by("pk").values_list("username", "password")) == before


def test_excel_windows_1252_file_with_commas_and_english_headers(establishments, tmp_path):
    content = (
        "First name,Last name,NUMEN,Birth date,Backup email,UAI,Department,Title\r\n"
        'Françoise,Lefèvre-Ségur,,1970-12-31,,0340001A,Mathématiques,"Professeure, agrégée"\r\n'
    ).encode("cp1252")

    report = _import(content, tmp_path=tmp_path)

    assert "1 created" in report
    user = User.objects.get(username="francoise.lefevre-segur")
    assert (user.first_name, user.last_name) == ("Françoise", "Lefèvre-Ségur")
    assert (user.department, user.title) == ("Mathématiques", "Professeure, agrégée")


def test_dry_run_writes_nothing(establishments, tmp_path):
    report = _import(FRENCH_CSV.encode(), "--dry-run", tmp_path=tmp_path)

    assert "4 to create, 0 already there, 5 in error." in report
    assert not User.objects.exists()


def test_a_file_without_the_required_columns_is_refused(establishments, tmp_path):
    with pytest.raises(CommandError, match="lacks the columns: uai"):
        _import(b"prenom;nom\nJean;Dupont\n", tmp_path=tmp_path)


def _admin_browser(django_user_model) -> Client:
    admin_user = django_user_model.objects.create_superuser("root.admin", password="x")
    browser = Client()
    browser.force_login(admin_user)
    browser.cookies["django_language"] = "en"
    return browser


def test_admin_upload_previews_then_creates(establishments, django_user_model):
    browser = _admin_browser(django_user_model)
    changelist = browser.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert reverse("admin:accounts_user_import") in changelist

    upload = StringIO(FRENCH_CSV)
    upload.name = "comptes.csv"
    preview = browser.post(reverse("admin:accounts_user_import"), {"file": upload})

    page = preview.content.decode()
    assert "4 accounts to create" in page
    assert "5 rows in error" in page
    assert "helene.n-diaye" in page
    assert "Unknown establishment (UAI 9999999Z)." in page
    assert not User.objects.filter(username="helene.n-diaye").exists()

    done = browser.post(reverse("admin:accounts_user_import_confirm"))

    assert done.status_code == 200
    assert User.objects.filter(username="helene.n-diaye").exists()
    assert User.objects.count() == 5  # the admin and 4 imported
    # The file is gone from the session: confirming twice imports nothing more.
    again = browser.post(reverse("admin:accounts_user_import_confirm"))
    assert again.status_code == 302
    assert User.objects.count() == 5
