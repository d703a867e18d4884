"""Routes of the review side's review pages (see reviews/urls.py for the full list of names)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
