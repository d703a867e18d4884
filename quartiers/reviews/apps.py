from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "quartiers.reviews"
    verbose_name = "Instruction et comité"

    def ready(self) -> None:
        from quartiers.applications.applicant_view import register_review_side
        from quartiers.reviews.applicant.selectors import REVIEW_SIDE

        register_review_side(REVIEW_SIDE)

        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_accept_contract_invitations, dispatch_uid="quartiers.reviews.contract_invitations")


def _accept_contract_invitations(sender, request, user, **kwargs) -> None:
    """At each login, the pending invitations to the person's e-mail become their roles in those contracts."""
    from quartiers.reviews.members.services import contract_invitations_accept

    if contract_invitations_accept(user=user):
        getattr(user, "__dict__", {}).pop("_contract_roles", None)
