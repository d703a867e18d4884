"""Django admin: read the organisations and applications (changes go through the pages and their services)."""

from django.contrib import admin

from quartiers.applications.models import Application, ApplicationTransition, Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "siret", "rna", "legal_form", "commune"]
    search_fields = ["legal_name", "siret", "rna"]
    inlines = [MembershipInline]


class TransitionInline(admin.TabularInline):
    model = ApplicationTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "by", "at", "why"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "organisation", "call", "status", "requested_total", "submitted_at"]
    list_filter = ["status", "call"]
    search_fields = ["reference", "title", "organisation__legal_name"]
    readonly_fields = ["reference", "status", "submitted_at", "submitted_by", "content", "total_budget",
                       "requested_total"]
    inlines = [TransitionInline]
