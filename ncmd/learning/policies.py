"""Who may see and change what in learning, given a user's permissions and organisation.

Permissions (`ncmd.registry.authorization`) say what kind of person someone is: the programme
(MANAGE_LEARNING) or an organisation's contact (UPDATE_ADDRESSED_ACTIONS). These functions add
the organisation: a contact sees and updates only what is addressed to their own organisation.
"""

from django.db.models import Q

from ncmd.registry.authorization import Permission, has_permission

from .models import Addressee, PlanAction, QIPack, Recommendation, StoredFile


def is_programme(user):
    return has_permission(user, Permission.MANAGE_LEARNING)


def is_contact(user):
    return has_permission(user, Permission.UPDATE_ADDRESSED_ACTIONS) and bool(user.organisation_id)


def reads_everything(user):
    """The programme and national roles read every issued recommendation and the plan."""
    return is_programme(user) or has_permission(user, Permission.VIEW_NATIONAL_DATA)


def may_use_learning(user):
    return reads_everything(user) or is_contact(user)


def speaks_for(user, organisation_id):
    """True when `user` is a contact of that organisation."""
    return is_contact(user) and user.organisation_id == organisation_id


def recommendations_for(user):
    """The recommendations `user` may read: drafts only for the programme; issued ones for
    national readers; those addressed to their organisation for a contact."""
    if is_programme(user):
        return Recommendation.objects.all()
    if reads_everything(user):
        return Recommendation.objects.filter(issued_at__isnull=False)
    if is_contact(user):
        return Recommendation.objects.filter(
            issued_at__isnull=False, addressees__organisation_id=user.organisation_id
        ).distinct()
    return Recommendation.objects.none()


def addressees_for(user):
    """The responses `user` may read in full (with their evidence)."""
    if reads_everything(user):
        return Addressee.objects.filter(recommendation__issued_at__isnull=False)
    if is_contact(user):
        return Addressee.objects.filter(
            recommendation__issued_at__isnull=False, organisation_id=user.organisation_id
        )
    return Addressee.objects.none()


def plan_actions_for(user):
    if reads_everything(user):
        return PlanAction.objects.all()
    if is_contact(user):
        return PlanAction.objects.filter(roles__organisation_id=user.organisation_id).distinct()
    return PlanAction.objects.none()


def packs_for(user):
    """Published packs reach the organisations addressed by one of the pack's recommendations;
    the programme and national readers see every pack, the programme drafts too."""
    if is_programme(user):
        return QIPack.objects.all()
    published = QIPack.objects.filter(published_at__isnull=False)
    if reads_everything(user):
        return published
    if user.is_authenticated and user.organisation_id:
        return published.filter(
            recommendations__addressees__organisation_id=user.organisation_id
        ).distinct()
    return QIPack.objects.none()


def may_read_file(user, stored: StoredFile):
    """A file is readable by whoever may read the response, plan action or pack it belongs to."""
    if not user.is_authenticated or not user.is_active:
        return False
    if (
        stored.progress_updates.exists()
        and addressees_for(user).filter(updates__files=stored).exists()
    ):
        return True
    if (
        stored.action_updates.exists()
        and plan_actions_for(user).filter(Q(updates__files=stored)).exists()
    ):
        return True
    return packs_for(user).filter(materials__file=stored).exists()
