from django.utils.functional import SimpleLazyObject

from .selectors import inbox_unread_count


def inbox(request):
    """``unread_count`` for the header: one COUNT, and only on a page that shows it to a signed-in person."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_count": SimpleLazyObject(lambda: inbox_unread_count(user))}
