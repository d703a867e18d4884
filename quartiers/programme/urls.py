"""Routes of the programme table and its exports (names: table(slug), export(slug, fmt), scdl(slug, siret))."""

from django.urls import path

from quartiers.programme import views

app_name = "programme"

urlpatterns = [
    path("gestion/appels/<slug:slug>/programmation/", views.table, name="table"),
    path("gestion/appels/<slug:slug>/programmation/export.<str:fmt>", views.export, name="export"),
    path("gestion/appels/<slug:slug>/programmation/scdl/<str:siret>.csv", views.scdl, name="scdl"),
]
