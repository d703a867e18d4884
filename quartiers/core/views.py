from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render


@login_required
def after_login(request):
    """Where a person lands after logging in without a « next » page: the review side for those who have a role in
    a contract, staff on their pages, applicants on theirs."""
    from quartiers.reviews.models import ContractMember

    if ContractMember.objects.filter(user=request.user).exists():
        return redirect("reviews:home")
    if request.user.is_staff:
        return redirect("frameworks:staff_versions")
    return redirect("applications:dashboard")


def accessibility(request):
    return render(request, "core/accessibility.html", {"title": "Accessibilité"})


def page_not_found(request, exception=None):
    return render(request, "core/404.html", {"title": "Page introuvable"}, status=404)


def server_error(request):
    return render(request, "core/500.html", {"title": "Erreur du serveur"}, status=500)
