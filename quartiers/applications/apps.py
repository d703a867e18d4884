from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "quartiers.applications"
    verbose_name = "Structures et demandes de subvention"
