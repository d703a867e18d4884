from django.contrib.auth import views as auth_views
from django.urls import path

from quartiers.core import platform, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("connexion/", auth_views.LoginView.as_view(template_name="core/login.html"), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("connexion/suite/", views.after_login, name="after_login"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("plateforme/contrats/", platform.contracts, name="platform_contracts"),
    path("plateforme/contrats/nouveau/", platform.contract_create, name="platform_contract_create"),
]
