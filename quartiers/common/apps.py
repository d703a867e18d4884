from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "quartiers.common"
    verbose_name = "Formats et composants partagés"
