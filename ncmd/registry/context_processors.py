from .authorization import Permission, has_permission
from .models import Role


def navigation(request):
    """What the header shows: the user's role and organisation and the links their role uses."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_role": Role(user.role).label if user.role else "",
        "nav_organisation": user.organisation.name if user.organisation_id else "",
        "nav_cases": has_permission(user, Permission.VIEW_CASES),
        "nav_quality": has_permission(user, Permission.VIEW_QUALITY),
        "nav_admin": has_permission(user, Permission.USE_ADMIN),
    }
