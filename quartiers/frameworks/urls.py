"""Routes of the frameworks app: public pages (urls_public) and staff pages (urls_staff), one namespace."""

from . import urls_public, urls_staff

app_name = "frameworks"
urlpatterns = urls_public.urlpatterns + urls_staff.urlpatterns
