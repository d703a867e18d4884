"""Routes of the committee pages (see reviews/urls.py for the full list of names)."""

from django.urls import path

from quartiers.reviews.committee import views

urlpatterns: list = [
    path("gestion/appels/<slug:slug>/comite/", views.sessions, name="sessions"),
    path("gestion/comite/<int:pk>/", views.session, name="session"),
    path("gestion/comite/<int:pk>/ordre-du-jour/", views.agenda, name="agenda"),
    path("gestion/comite/<int:pk>/decisions/<int:app_pk>/", views.decide, name="decide"),
    path("gestion/comite/<int:pk>/cloturer/", views.session_close_view, name="session_close"),
    path("demandes/<int:pk>/decision/", views.letter, name="letter"),
    path("demandes/<int:pk>/decision.pdf", views.letter_pdf_view, name="letter_pdf"),
    path("gestion/instruction/<int:pk>/notifier/", views.notify, name="notify"),
]
