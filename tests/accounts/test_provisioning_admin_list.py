"""The accounts list: search by names and addresses, filter by status."""

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Establishment


def _listed(browser: Client, **query) -> set[str]:
    response = browser.get(reverse("admin:accounts_user_changelist"), query)
    assert response.status_code == 200
    return {user.username for user in response.context["cl"].queryset}


def test_search_and_filters(django_user_model):
    admin_user = django_user_model.objects.create_superuser("root.admin", password="x")
    college = Establishment.objects.create(name="Collège Jean Moulin", uai="0340001A")
    django_user_model.objects.create_user(
        "jean.dupont", first_name="Jean", last_name="Dupont", establishment=college
    )
    django_user_model.objects.create_user(
        "marie.martin",
        backup_email="marie@example.net",
        two_factor_enabled=True,
        last_login=timezone.now(),
    )
    django_user_model.objects.create_user("paul.girard", is_active=False)
    browser = Client()
    browser.force_login(admin_user)

    assert _listed(browser, q="Dupont") == {"jean.dupont"}
    assert _listed(browser, q="marie@example.net") == {"marie.martin"}
    assert _listed(browser, establishment__id__exact=college.pk) == {"jean.dupont"}
    assert _listed(browser, is_active__exact="0") == {"paul.girard"}
    assert _listed(browser, two_factor_enabled__exact="1") == {"marie.martin"}
    assert "marie.martin" not in _listed(browser, never_logged_in="yes")
    assert "jean.dupont" in _listed(browser, never_logged_in="yes")
    assert _listed(browser, never_logged_in="no") >= {"marie.martin"}
    page = browser.get(reverse("admin:accounts_user_add"))
    assert page.status_code == 200
    assert 'name="numen"' in page.content.decode()
