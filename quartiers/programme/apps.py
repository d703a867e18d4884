from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "quartiers.programme"
    verbose_name = "Programmation et données ouvertes"
