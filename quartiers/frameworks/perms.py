"""Who may do what with frameworks: small predicates, one rule each."""

from quartiers.frameworks.models import FrameworkVersion, VersionStatus


def can_manage_frameworks(user) -> bool:
    """Import, correct, publish and compare framework versions: the contract's team, i.e. staff accounts."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def can_edit_version(user, version: FrameworkVersion) -> bool:
    """Correct a version: only a draft, and only by someone who manages frameworks.

    A published or archived version is read-only; to change it, import the annex again as a new version.
    """
    return can_manage_frameworks(user) and version.status == VersionStatus.DRAFT


def can_publish_version(user, version: FrameworkVersion) -> bool:
    """Publish a version: a draft, by someone who manages frameworks (the service checks it has objectives)."""
    return can_edit_version(user, version)
