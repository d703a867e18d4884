"""Route of the contract's members page (see reviews/urls.py for the full list of names)."""

from django.urls import path

from quartiers.reviews.members import views

urlpatterns: list = [
    path("gestion/appels/<slug:slug>/membres/", views.members, name="members"),
]
