"""People: a user account (its password hashed with the settings' hasher)."""

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

PASSWORD = "un-mot-de-passe-solide-2026"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"personne{n}@example.org")
    email = factory.LazyAttribute(lambda o: o.username if "@" in o.username else f"{o.username}@example.org")
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = "Test"
    password = factory.django.Password(PASSWORD)
