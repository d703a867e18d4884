"""Routes of the review side's queue pages (see reviews/urls.py for the full list of names)."""

from django.urls import path

from quartiers.reviews import views_queue

urlpatterns: list = [
    path("gestion/appels/<slug:slug>/instruction/", views_queue.queue, name="queue"),
    path("gestion/appels/<slug:slug>/instruction/export.csv", views_queue.queue_csv, name="queue_csv"),
    path("gestion/appels/<slug:slug>/instruction/vues/", views_queue.view_save, name="view_save"),
    path("gestion/appels/<slug:slug>/instruction/vues/<int:pk>/supprimer/", views_queue.view_delete,
         name="view_delete"),
    path("gestion/appels/<slug:slug>/membres/", views_queue.members, name="members"),
]
