"""The administration site, for national administrators only, for looking things up.

Everything here is read-only: every change to the registry goes through an action that checks it
and writes its audit event, and the admin site's own forms would go round both. Users are created
with `ncmd create_user`; organisations with `ncmd load_reference`.
"""

from django.contrib import admin

from .authorization import Permission, has_permission
from .models import AuditEvent, Case, FormRequest, Organisation, PostcodeLookup, User


def _national_admin_only(request):
    return has_permission(request.user, Permission.USE_ADMIN)


admin.site.has_permission = _national_admin_only


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "type", "parent"]
    list_filter = ["type"]
    search_fields = ["code", "name"]


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["username", "email", "role", "organisation", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "email"]
    exclude = ["password"]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["reference", "cdop", "status", "date_of_death", "age_band"]
    list_filter = ["status", "age_band"]
    search_fields = ["reference"]


@admin.register(FormRequest)
class FormRequestAdmin(ReadOnlyAdmin):
    list_display = ["case", "form_name", "agency", "requested_at", "due_date", "returned_at"]
    list_filter = ["form_name"]
    search_fields = ["case__reference"]


@admin.register(PostcodeLookup)
class PostcodeLookupAdmin(ReadOnlyAdmin):
    list_display = ["postcode", "lsoa_code", "imd_decile", "imd_edition"]
    search_fields = ["postcode"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id", "case_reference"]
    list_filter = ["action"]
    search_fields = ["case_reference", "actor"]
