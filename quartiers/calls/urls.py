"""Routes of the calls app: staff pages under /gestion/appels/, public pages under /appels/."""

from django.urls import path

from quartiers.calls import views

app_name = "calls"
urlpatterns = [
    path("gestion/appels/", views.staff_calls, name="staff_calls"),
    path("gestion/appels/nouveau/", views.staff_call_create, name="staff_call_create"),
    path("gestion/appels/<int:pk>/", views.staff_call, name="staff_call"),
    path("gestion/appels/<int:pk>/modifier/", views.staff_call_edit, name="staff_call_edit"),
    path("gestion/appels/<int:pk>/prolonger/", views.staff_call_extend, name="staff_call_extend"),
    path("gestion/appels/<int:pk>/ouvrir/", views.staff_call_open, name="staff_call_open"),
    path("gestion/appels/<int:pk>/clore/", views.staff_call_close, name="staff_call_close"),
    path("appels/", views.public_calls, name="list"),
    path("appels/<slug:slug>/", views.public_call, name="detail"),
]
