from . import navigation
from .roles import Role, capabilities_of, roles_of
from .selectors import unread_notification_count


def silta(request) -> dict:
    """Navigation, capabilities and the unread badge for the base layout."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_sections": [], "can": {}, "user_roles": []}
    return {
        "nav_sections": navigation.sections_for(user, current_path=request.path),
        "can": capabilities_of(user),
        "user_roles": [Role(role).label for role in sorted(roles_of(user))],
        "unread_notifications": unread_notification_count(user=user),
    }
