from django.urls import path

from quartiers.applications import accounts, views

app_name = "applications"

urlpatterns = [
    path("inscription/", accounts.signup, name="signup"),
    path("inscription/confirmer/<str:uidb64>/<str:token>/", accounts.signup_confirm, name="signup_confirm"),
    path("demandes/", views.dashboard, name="dashboard"),
    path("demandes/nouvelle/", views.application_new, name="new"),
    path("demandes/importer/", views.application_import_view, name="import"),
    path("demandes/<int:pk>/", views.application_edit, name="edit"),
    path("demandes/<int:pk>/enregistrer/", views.application_autosave, name="autosave"),
    path("demandes/<int:pk>/pieces/", views.application_document_upload, name="document_upload"),
    path("demandes/<int:pk>/pieces/structure/", views.application_standing_attach, name="standing_attach"),
    path("demandes/<int:pk>/pieces/<int:doc_pk>/", views.application_document, name="document"),
    path("demandes/<int:pk>/pieces/retirer/", views.application_document_remove_view, name="document_remove"),
    path("demandes/<int:pk>/deposer/", views.application_submit_view, name="submit"),
    path("demandes/<int:pk>/recepisse/", views.application_receipt, name="receipt"),
    path("demandes/<int:pk>/retirer/", views.application_withdraw_view, name="withdraw"),
    path("demandes/<int:pk>/export.json", views.application_export_view, name="export"),
    path("structures/nouvelle/", views.organisation_new, name="organisation_new"),
    path("structures/<int:pk>/", views.organisation_detail, name="organisation"),
    path("structures/<int:pk>/modifier/", views.organisation_edit, name="organisation_edit"),
    path("structures/<int:pk>/inviter/", views.organisation_invite, name="organisation_invite"),
    path("structures/<int:pk>/membres/<int:member_pk>/", views.organisation_member, name="organisation_member"),
    path("structures/<int:pk>/pieces/", views.organisation_document_upload, name="organisation_document_upload"),
    path("structures/<int:pk>/pieces/<int:doc_pk>/", views.organisation_document, name="organisation_document"),
    path("gestion/demandes/", views.staff_list, name="staff_list"),
    path("gestion/demandes/<int:pk>/", views.staff_detail, name="staff_detail"),
]
