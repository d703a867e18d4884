"""Routes of the review of one application (see reviews/urls.py for the full list of names)."""

from django.urls import path

from quartiers.reviews.review import views as v

urlpatterns: list = [
    path("gestion/instruction/<int:pk>/", v.application_review, name="application"),
    path("gestion/instruction/<int:pk>/recevabilite/", v.admissibility, name="admissibility"),
    path("gestion/instruction/<int:pk>/rattachement/", v.confirm_match, name="confirm_match"),
    path("gestion/instruction/<int:pk>/avis/<int:funder_pk>/", v.assessment, name="assessment"),
    path("gestion/instruction/<int:pk>/conflit/", v.conflict, name="conflict"),
    path("gestion/instruction/<int:pk>/complements/", v.info_request, name="info_request"),
    path("gestion/instruction/<int:pk>/avis-citoyen/", v.advice, name="advice"),
    path("gestion/instruction/<int:pk>/instruite/", v.mark_reviewed, name="mark_reviewed"),
    path("gestion/instruction/<int:pk>/pieces/<int:doc_pk>/", v.document, name="document"),
    path("demandes/<int:pk>/complements/<int:req_pk>/", v.info_answer_view, name="info_answer"),
    path("gestion/appels/<slug:slug>/grille/", v.grid, name="grid"),
]
