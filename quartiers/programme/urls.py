"""Routes of the programme table and its exports (names: table(slug), export(slug, fmt), scdl(slug, siret))."""

from django.urls import path  # noqa: F401

app_name = "programme"

urlpatterns: list = []
