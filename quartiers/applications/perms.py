"""Who may do what with organisations and applications: small predicates, one rule each."""

from quartiers.applications.models import SIGNING_ROLES, Application, Membership, Organisation, Role


def role_in(user, organisation: Organisation) -> str | None:
    """The user's role in the organisation, or None when they are not a member."""
    if not user.is_authenticated:
        return None
    m = Membership.objects.filter(organisation=organisation, user=user).only("role").first()
    return m.role if m else None


def can_manage_members(user, organisation: Organisation) -> bool:
    """Only an administrator invites members and changes the organisation."""
    return role_in(user, organisation) == Role.ADMINISTRATOR


def can_sign(user, organisation: Organisation) -> bool:
    """A signatory or an administrator attests the CER and submits; an editor only writes."""
    return role_in(user, organisation) in SIGNING_ROLES


def can_edit(user, application: Application) -> bool:
    """Any member edits a draft of their organisation; nobody edits a submitted application."""
    return application.is_editable and role_in(user, application.organisation) is not None


def can_submit(user, application: Application) -> bool:
    return application.is_editable and can_sign(user, application.organisation)


def can_withdraw(user, application: Application) -> bool:
    return application.status == "submitted" and can_sign(user, application.organisation)
