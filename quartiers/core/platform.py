"""The platform staff's pages: the contracts this instance runs, and a new contract created from the national
reference with its project lead invited by e-mail. Platform staff are superusers (issue #15 adds a platform role)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse

from quartiers.reviews.members.services import RoleError, contract_invite
from quartiers.reviews.models import ContractInvitation, ContractMember, ContractRole
from quartiers.reviews.views import base_url
from quartiers.territories.models import Contract, ReferenceContract
from quartiers.territories.services import ContractCreateError, contract_create_from_reference


def is_platform_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def _refused(request):
    return render(request, "core/platform/403.html", {"title": "Accès réservé"}, status=403)


class ContractCreateForm(forms.Form):
    code = forms.CharField(label="Code du contrat de ville", max_length=12,
                           help_text="Code de la liste nationale des contrats « Engagements Quartiers 2030 », par "
                                     "exemple CN03002I.")
    slug = forms.CharField(label="Identifiant court (facultatif)", max_length=80, required=False,
                           help_text="Apparaît dans les adresses des pages (/contrats/identifiant/). Laissé vide, il "
                                     "est tiré du nom du contrat.")
    lead_email = forms.CharField(label="Courriel de la cheffe ou du chef de projet (facultatif)", max_length=254,
                                 required=False,
                                 help_text="La personne reçoit une invitation et devient cheffe ou chef de projet du "
                                           "contrat : à sa première connexion si elle n'a pas encore de compte.")

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


@login_required
def contracts(request):
    if not is_platform_staff(request.user):
        return _refused(request)
    leads = ContractMember.objects.filter(role=ContractRole.PROJECT_LEAD).select_related("user").order_by("pk")
    pending = ContractInvitation.objects.filter(accepted_at__isnull=True).order_by("created_at", "pk")
    rows = (Contract.objects.annotate(n_hoods=Count("neighbourhoods", distinct=True))
            .prefetch_related(Prefetch("members", queryset=leads, to_attr="leads"),
                              Prefetch("invitations", queryset=pending, to_attr="pending"))
            .order_by("name", "pk"))
    return render(request, "core/platform/contracts.html", {
        "contracts": rows,
        "reference_count": ReferenceContract.objects.count(),
        "breadcrumb": [("Accueil", reverse("core:home")), ("Contrats de la plateforme", None)],
    })


@login_required
def contract_create(request):
    if not is_platform_staff(request.user):
        return _refused(request)
    form = ContractCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                created = contract_create_from_reference(code=data["code"], slug=data["slug"].strip(),
                                                         by=request.user)
                invited = None
                if data["lead_email"].strip():
                    invited = contract_invite(contract=created.contract, email=data["lead_email"],
                                              role=ContractRole.PROJECT_LEAD, by=request.user,
                                              base_url=base_url(request))
        except ContractCreateError as exc:
            form.add_error("slug" if "dentifiant" in str(exc) else "code", str(exc))
        except RoleError as exc:
            form.add_error("lead_email", exc.message)
        else:
            contract = created.contract
            text = f"Contrat « {contract.name} » créé (identifiant {contract.slug}), avec {len(created.attached)} " \
                   f"quartier{'s' if len(created.attached) > 1 else ''} prioritaire" \
                   f"{'s' if len(created.attached) > 1 else ''}."
            if created.kept_elsewhere:
                text += " Déjà rattachés à un autre contrat de la plateforme, donc laissés : " + ", ".join(
                    f"{code} ({slug})" for code, slug in created.kept_elsewhere.items()) + "."
            if isinstance(invited, ContractMember):
                text += f" {invited.user.email} en est cheffe ou chef de projet dès maintenant ; un courriel l'en avertit."
            elif invited is not None:
                text += f" Une invitation a été envoyée à {invited.email}."
            messages.success(request, text)
            return redirect("core:platform_contracts")
    return render(request, "core/platform/contract_create.html", {
        "form": form,
        "breadcrumb": [("Accueil", reverse("core:home")),
                       ("Contrats de la plateforme", reverse("core:platform_contracts")),
                       ("Nouveau contrat de ville", None)],
        "reference_loaded": ReferenceContract.objects.exists(),
        "available": ReferenceContract.objects.filter(Q(tenant__isnull=True)).count(),
    })
