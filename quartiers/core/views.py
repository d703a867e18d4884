from django.shortcuts import render


def accessibility(request):
    return render(request, "core/accessibility.html", {"title": "Accessibilité"})


def page_not_found(request, exception=None):
    return render(request, "core/404.html", {"title": "Page introuvable"}, status=404)


def server_error(request):
    return render(request, "core/500.html", {"title": "Erreur du serveur"}, status=500)
