from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import render

from .models import FrameworkVersion


@staff_member_required(login_url="core:login")
def versions(request):
    versions = FrameworkVersion.objects.select_related("contract", "imported_by").order_by("contract", "-number")
    return render(request, "frameworks/staff/versions.html", {"versions": versions})
