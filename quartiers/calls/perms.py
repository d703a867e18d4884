"""Who may do what with calls: small predicates, one rule each."""

from quartiers.calls.models import Call, CallStatus


def can_manage_calls(user) -> bool:
    """Create, edit, open and close calls: the contract's team, i.e. staff accounts (for now)."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def can_edit_call(user, call: Call) -> bool:
    """Edit every field of a call: only while it is a draft."""
    return can_manage_calls(user) and call.status == CallStatus.DRAFT


def can_extend_call(user, call: Call) -> bool:
    """Push back the deadline of an open call (« prolonger »): the only change an open call accepts."""
    return can_manage_calls(user) and call.status == CallStatus.OPEN


def can_open_call(user, call: Call) -> bool:
    """Open a draft call (the service checks it is complete)."""
    return can_manage_calls(user) and call.status == CallStatus.DRAFT


def can_close_call(user, call: Call) -> bool:
    """Close an open call, before its deadline if need be."""
    return can_manage_calls(user) and call.status == CallStatus.OPEN
