"""Who may open the back office's pages: reviewers and supervisors (the dashboard: supervisors). Anyone else is
told so plainly, with HTTP 403."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from ..permissions import is_reviewer, is_supervisor


def forbidden(request, message, status=403):
    return render(request, "reviews/forbidden.html", {"message": message}, status=status)


def reviewer_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_reviewer(request.user):
            return forbidden(request, _("Only the provider's reviewers can do this."))
        return view(request, *args, **kwargs)

    return wrapper


def supervisor_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_supervisor(request.user):
            return forbidden(request, _("Only a supervisor can do this."))
        return view(request, *args, **kwargs)

    return wrapper
