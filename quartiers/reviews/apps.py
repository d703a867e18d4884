from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "quartiers.reviews"
    verbose_name = "Instruction et comité"
