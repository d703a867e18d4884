from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "quartiers.frameworks"
    verbose_name = "Référentiels des priorités"
