"""The contract's members page: who holds which role, added, changed or removed by the project lead."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from quartiers.calls.models import Funder
from quartiers.reviews import perms
from quartiers.reviews.members.forms import MemberForm
from quartiers.reviews.members.selectors import contract_members
from quartiers.reviews.members.services import RoleError, member_add, member_change, member_remove
from quartiers.reviews.models import ContractMember, ContractRole
from quartiers.reviews.views import call_or_403


def _funder(form: MemberForm):
    """The funder chosen on the form (any contract: the service refuses another contract's), or None."""
    pk = form.cleaned_data.get("funder")
    if pk is None:
        return None
    funder = Funder.objects.filter(pk=pk).first()
    if funder is None:
        raise RoleError("Financeur représenté : ce financeur n'existe pas.", field="funder")
    return funder


def _posted_member(request, call, *related) -> ContractMember:
    """The member of the call's contract named by the posted « member »: 404 when it is no such member, a number
    or not (a tampered form must not end in a server error)."""
    raw = request.POST.get("member", "")
    if not (raw.isascii() and raw.isdigit()):
        raise Http404("Membre inconnu")
    return get_object_or_404(ContractMember.objects.select_related(*related), pk=int(raw),
                             contract_id=call.contract_id)


def _member_post(request, call):
    """Run the posted action; returns the form to show again with its errors, or None when done."""
    action = request.POST.get("action")
    funders = list(call.contract.funders.order_by("name"))
    if action == "remove":
        member = _posted_member(request, call, "user")
        try:
            member_remove(member=member)
        except RoleError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{_who(member.user)} ne fait plus partie du contrat.")
        return None
    if action not in ("add", "change"):
        raise Http404
    form = MemberForm(request.POST, funders=funders, with_email=action == "add")
    if not form.is_valid():
        return form
    try:
        funder = _funder(form)
        if action == "add":
            member = member_add(contract=call.contract, email=form.cleaned_data["email"],
                                role=form.cleaned_data["role"], funder=funder)
            messages.success(request, f"{_who(member.user)} rejoint le contrat : {member.get_role_display()}.")
        else:
            member = _posted_member(request, call, "user", "contract")
            member_change(member=member, role=form.cleaned_data["role"], funder=funder)
            messages.success(request, f"{_who(member.user)} est désormais {member.get_role_display()}.")
    except RoleError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return form
    return None


def _who(user) -> str:
    return user.get_full_name() or user.email or user.username


@login_required
def members(request, slug, template_name="reviews/members/members.html"):
    call, refused = call_or_403(request, slug, lambda user, c: perms.can_manage_roles(user, c.contract_id))
    if refused:
        return refused
    funders = list(call.contract.funders.order_by("name"))
    form = MemberForm(funders=funders)
    if request.method == "POST":
        failed = _member_post(request, call)
        if failed is None:
            return redirect("reviews:members", slug=call.slug)
        if "email" not in failed.fields:  # a change of role: its form is one line of the table
            for errors in failed.errors.values():
                messages.error(request, " ".join(errors))
            return redirect("reviews:members", slug=call.slug)
        form = failed  # the add form shows again with what was typed and its errors
    return render(request, template_name, {
        "call": call, "members": contract_members(call.contract), "funders": funders, "form": form,
        "roles": ContractRole.choices,
    })
