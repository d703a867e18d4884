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


# --- Inviting a contract's people by e-mail (the platform staff invite a new contract's project lead) -----------

def _email_problem(email: str) -> str:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    try:
        validate_email(email)
    except ValidationError:
        return f"Courriel : « {email} » n'est pas une adresse électronique valide (par exemple prenom.nom@agglo.fr)."
    return ""


@transaction.atomic
def contract_invite(*, contract, email: str, role: str = R.PROJECT_LEAD, by=None, base_url: str = ""):
    """Give ``role`` in the contract to the person with this e-mail: at once when a confirmed account has it,
    otherwise as a pending ``ContractInvitation`` that their first login with a confirmed account turns into a role.
    An e-mail tells the person either way (sent after commit). Returns the ContractMember or the invitation."""
    from django.template.loader import render_to_string

    from quartiers.common.tasks import mail_enqueue_on_commit
    from quartiers.reviews.models import ContractInvitation

    email = (email or "").strip().lower()
    if not email:
        raise RoleError("Courriel : indiquez l'adresse électronique de la personne à inviter.", field="email")
    problem = _email_problem(email)
    if problem:
        raise RoleError(problem, field="email")
    _check_role_and_funder(contract=contract, role=role, funder=None)
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).order_by("pk").first()
    result: ContractMember | ContractInvitation
    if user is not None:
        member = ContractMember.objects.filter(contract=contract, user=user).first()
        if member is not None:
            raise RoleError(f"Courriel : {email} fait déjà partie du contrat ({member.get_role_display()}).",
                            field="email")
        result = ContractMember.objects.create(contract=contract, user=user, role=role)
    else:
        pending = ContractInvitation.objects.filter(contract=contract, email__iexact=email, accepted_at__isnull=True)
        if pending.exists():
            raise RoleError(f"Courriel : une invitation attend déjà {email} pour ce contrat.", field="email")
        result = ContractInvitation.objects.create(contract=contract, email=email, role=role, invited_by=by)
    body = render_to_string("reviews/emails/contract_invitation.txt", {
        "contract": contract, "role": R(role).label, "by": by, "existing": user is not None, "base_url": base_url,
    })
    mail_enqueue_on_commit(subject=f"Invitation sur Quartiers — {contract.name}", body=body, recipients=[email])
    return result


@transaction.atomic
def contract_invitations_accept(*, user) -> int:
    """Turn the pending contract invitations to the user's (confirmed) e-mail into roles; returns how many."""
    from django.utils import timezone

    from quartiers.reviews.models import ContractInvitation

    if not (user.is_active and user.email):
        return 0
    n = 0
    for inv in ContractInvitation.objects.select_for_update().filter(email__iexact=user.email,
                                                                     accepted_at__isnull=True):
        ContractMember.objects.get_or_create(contract_id=inv.contract_id, user=user, defaults={"role": inv.role})
        inv.accepted_at, inv.accepted_by = timezone.now(), user
        inv.save(update_fields=["accepted_at", "accepted_by"])
        n += 1
    return n
