"""Research data access in the administration site: read-only, for looking things up. Every
change goes through `ncmd.access.actions`. The pseudonym key of a request is never shown."""

from django.contrib import admin

from ncmd.registry.admin import ReadOnlyAdmin

from .models import AccessRequest, Extract, OutputCheck, ResearcherProfile


@admin.register(ResearcherProfile)
class ResearcherProfileAdmin(ReadOnlyAdmin):
    list_display = ["user", "institution", "status", "training_completed_on", "decided_by"]
    list_filter = ["status"]
    search_fields = ["user__username", "institution"]


@admin.register(AccessRequest)
class AccessRequestAdmin(ReadOnlyAdmin):
    list_display = ["reference", "applicant", "status", "updated_at", "expires_on", "destroyed_on"]
    list_filter = ["status"]
    search_fields = ["reference", "applicant__username"]
    exclude = ["pseudonym_key"]


@admin.register(Extract)
class ExtractAdmin(ReadOnlyAdmin):
    list_display = ["id", "request", "snapshot_id", "row_count", "smallest_group", "released_at"]
    search_fields = ["request__reference"]


@admin.register(OutputCheck)
class OutputCheckAdmin(ReadOnlyAdmin):
    list_display = ["title", "request", "status", "submitted_at", "checked_by"]
    list_filter = ["status"]
    search_fields = ["request__reference", "title"]
