"""Writing audit events. Called inside each action's transaction, so an action and its audit
event are committed together or not at all."""

from functools import lru_cache

from django.utils import timezone

from .models import AuditEvent, Organisation


def record(action, *, by, obj, case=None, changes=None, detail=None, at=None, organisation=None):
    """Append one audit event: `by` did `action` to `obj`."""
    if case is None and obj.__class__.__name__ == "Case":
        case = obj
    if organisation is None and case is not None:
        organisation = organisation_code(case.cdop_id)
    return AuditEvent.objects.create(
        at=at or timezone.now(),
        actor_id=getattr(by, "pk", None),
        actor=getattr(by, "username", "") or "system",
        action=action,
        object_type=obj.__class__.__name__,
        object_id=str(obj.pk),
        case_reference=case.reference if case is not None else "",
        organisation=organisation or "",
        changes=changes or {},
        detail=detail or {},
    )


def changed_values(before, after):
    """{name: [old, new]} for every key whose value differs between two dicts."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


@lru_cache(maxsize=4096)
def organisation_code(organisation_id):
    """An organisation's code by id. Codes never change once given (organisations are found by
    code), so this is safe to keep for the life of the process."""
    return Organisation.objects.values_list("code", flat=True).get(pk=organisation_id)
