from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("quartiers.core.urls")),
    path("", include("quartiers.frameworks.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "quartiers.core.views.page_not_found"
handler500 = "quartiers.core.views.server_error"
