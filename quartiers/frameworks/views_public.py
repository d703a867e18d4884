from django.shortcuts import render

from quartiers.territories.models import Contract


def home(request):
    contracts = Contract.objects.prefetch_related("neighbourhoods__communes")
    return render(request, "frameworks/home.html", {"contracts": contracts})
