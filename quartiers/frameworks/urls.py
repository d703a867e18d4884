"""Routes of the frameworks app: public pages (urls_public) and staff pages (urls_staff), one namespace."""

from django.urls import path

from quartiers.frameworks import urls_public, urls_staff, views_match

app_name = "frameworks"
urlpatterns = [
    path("quelle-priorite/", views_match.match, name="match"),
    *urls_public.urlpatterns,
    *urls_staff.urlpatterns,
]
