from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "quartiers.reviews"
    verbose_name = "Instruction et comité"

    def ready(self) -> None:
        from quartiers.applications.applicant_view import register_review_side
        from quartiers.reviews.applicant.selectors import REVIEW_SIDE

        register_review_side(REVIEW_SIDE)
