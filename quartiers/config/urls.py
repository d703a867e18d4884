from django.contrib import admin
from django.urls import include, path

from quartiers.api.api import api

urlpatterns = [
    path("", include("quartiers.core.urls")),
    path("", include("quartiers.frameworks.urls")),
    path("", include("quartiers.calls.urls")),
    path("", include("quartiers.applications.urls")),
    path("", include("quartiers.reviews.urls")),
    path("", include("quartiers.programme.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]

handler404 = "quartiers.core.views.page_not_found"
handler500 = "quartiers.core.views.server_error"
