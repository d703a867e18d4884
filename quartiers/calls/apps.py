from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "quartiers.calls"
    verbose_name = "Appels à projets"
