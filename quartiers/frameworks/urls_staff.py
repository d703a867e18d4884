from django.urls import path

from . import views_staff

urlpatterns = [
    path("gestion/referentiel/", views_staff.versions, name="staff_versions"),
]
