import pytest

from accounts.models import Establishment


@pytest.fixture(autouse=True)
def english_pages(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def moulin(db):
    return Establishment.objects.create(name="Collège Jean Moulin", uai="0340001A")


@pytest.fixture
def curie(db):
    return Establishment.objects.create(name="Lycée Marie Curie", uai="0340002B")


@pytest.fixture
def person(db, django_user_model):
    def create(username, first_name, last_name, **fields):
        return django_user_model.objects.create_user(
            username=username, first_name=first_name, last_name=last_name, **fields
        )

    return create
