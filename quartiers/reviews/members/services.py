"""Writes on the people of a contract's review work (``ContractMember``): add, change a role, remove.

The project lead manages them from the members page. Rules, each refused with a French message naming the field:
the person must already have an account; a funder representative speaks for one funder of the contract; a reviewer
may be attached to a funder or not; the other roles speak for no funder; a contract keeps at least one project lead.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from quartiers.reviews.models import ContractMember, ContractRole

R = ContractRole


FUNDER_ROLES = (R.REVIEWER, R.FUNDER)


class RoleError(Exception):
    """A refusal on the members page (message in French; ``field`` names the form field)."""

    def __init__(self, message: str, *, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


def _check_role_and_funder(*, contract, role: str, funder) -> None:
    if role not in R.values:
        raise RoleError("Rôle : ce rôle n'existe pas.", field="role")
    if funder is not None and funder.contract_id != contract.pk:
        raise RoleError(f"Financeur représenté : « {funder.name} » est un financeur d'un autre contrat.",
                        field="funder")
    if role == R.FUNDER and funder is None:
        raise RoleError("Financeur représenté : un représentant d'un financeur doit être rattaché à un financeur "
                        "du contrat ; choisissez-le.", field="funder")
    if funder is not None and role not in FUNDER_ROLES:
        raise RoleError(f"Financeur représenté : seuls une instructrice ou un instructeur et un représentant d'un "
                        f"financeur parlent pour un financeur, pas un rôle « {R(role).label} ». Choisissez "
                        "« Aucun ».", field="funder")


def _find_account(email: str):
    email = (email or "").strip()
    User = get_user_model()
    user = (User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email), is_active=True)
            .order_by("pk").first()) if email else None
    if user is None:
        raise RoleError(f"Courriel du compte : aucun compte actif n'existe avec l'adresse « {email} ». La personne "
                        "doit d'abord créer son compte sur Quartiers.", field="email")
    return user


def _keep_a_lead(member: ContractMember) -> None:
    """Refuse to remove or demote the contract's last project lead (locked, so two edits cannot both pass)."""
    leads = list(ContractMember.objects.select_for_update().filter(contract_id=member.contract_id,
                                                                   role=R.PROJECT_LEAD).values_list("pk", flat=True))
    if leads == [member.pk]:
        raise RoleError("Rôle : le contrat doit garder au moins une cheffe ou un chef de projet. Nommez-en une ou "
                        "un autre avant.", field="role")


@transaction.atomic
def member_add(*, contract, email: str, role: str, funder=None) -> ContractMember:
    """Give an existing account a role in the contract."""
    user = _find_account(email)
    _check_role_and_funder(contract=contract, role=role, funder=funder)
    existing = ContractMember.objects.filter(contract=contract, user=user).first()
    if existing is not None:
        raise RoleError(f"Courriel du compte : {user.email or user.username} fait déjà partie du contrat "
                        f"({existing.get_role_display()}). Changez son rôle dans la liste.", field="email")
    return ContractMember.objects.create(contract=contract, user=user, role=role,
                                         funder=funder if role in FUNDER_ROLES else None)


@transaction.atomic
def member_change(*, member: ContractMember, role: str, funder=None) -> ContractMember:
    """Change a member's role (and the funder they speak for)."""
    _check_role_and_funder(contract=member.contract, role=role, funder=funder)
    if member.role == R.PROJECT_LEAD and role != R.PROJECT_LEAD:
        _keep_a_lead(member)
    member.role = role
    member.funder = funder
    member.save(update_fields=["role", "funder"])
    return member


@transaction.atomic
def member_remove(*, member: ContractMember) -> None:
    """Take a person out of the contract's review work (their past opinions and decisions stay)."""
    if member.role == R.PROJECT_LEAD:
        _keep_a_lead(member)
    member.delete()
