"""Reads of the contract's members page."""

from __future__ import annotations

from django.db.models import QuerySet

from quartiers.reviews.models import ContractMember


def contract_members(contract) -> QuerySet[ContractMember]:
    return (ContractMember.objects.filter(contract=contract).select_related("user", "funder")
            .order_by("role", "user__last_name", "user__first_name", "user__email", "pk"))
