"""Whether the signed-in person has a role on the review side (for the menu): one small query, authenticated only."""

from quartiers.reviews.models import ContractMember


def review_roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"has_review_role": False}
    return {"has_review_role": user.is_superuser or ContractMember.objects.filter(user=user).exists()}
