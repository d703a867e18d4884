from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "quartiers.territories"
    verbose_name = "Territoires"
