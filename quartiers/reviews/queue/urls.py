"""Routes of the review queue (see reviews/urls.py for the full list of names)."""

from django.urls import path

from quartiers.reviews.queue import views

urlpatterns: list = [
    path("gestion/appels/<slug:slug>/instruction/", views.queue, name="queue"),
    path("gestion/appels/<slug:slug>/instruction/export.csv", views.queue_csv, name="queue_csv"),
    path("gestion/appels/<slug:slug>/instruction/vues/", views.view_save, name="view_save"),
    path("gestion/appels/<slug:slug>/instruction/vues/<int:pk>/supprimer/", views.view_delete, name="view_delete"),
]
