from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from quartiers.core.selectors import national_overview
from quartiers.territories.selectors import territory_search

PLACE_LIMIT = 20


class PlaceForm(forms.Form):
    lieu = forms.CharField(label="Trouver un contrat, une commune ou un quartier", max_length=120, required=False,
                           help_text="Par exemple : Alès, grand combe, st ambroix, QN03001I ou CN03001I.")


def home(request):
    """The national home: find a contract, a commune or a QPV; every contract of this instance with its status."""
    form = PlaceForm(request.GET or None)
    places = None
    query = ""
    if form.is_valid():
        query = form.cleaned_data["lieu"].strip()
        if query:
            places = territory_search(query, limit=PLACE_LIMIT + 1)
    return render(request, "core/home.html", {
        "form": form,
        "query": query,
        "places": places[:PLACE_LIMIT] if places is not None else None,
        "places_truncated": places is not None and len(places) > PLACE_LIMIT,
        "overview": national_overview(timezone.now()),
        "breadcrumb": None,
    })


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
