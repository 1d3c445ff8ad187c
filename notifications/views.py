from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .forms import PreferencesForm
from .models import InboxMessage


@login_required
def inbox(request):
    page = Paginator(selectors.inbox_of(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
@require_POST
def inbox_read(request, message_id: int):
    """Mark one message read, then follow its link (a path on this site) or go back to the inbox."""
    try:
        message = services.inbox_mark_read(user=request.user, message_id=message_id)
    except InboxMessage.DoesNotExist:
        raise Http404 from None
    opens = request.POST.get("open") and message.link
    if opens and url_has_allowed_host_and_scheme(message.link, allowed_hosts={request.get_host()}):
        return redirect(message.link)
    return redirect("notifications:inbox")


@login_required
@require_POST
def inbox_read_all(request):
    services.inbox_mark_all_read(user=request.user)
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    events = selectors.events_for(request.user)
    optional = [e for e in events if e.email_optional]
    saved = selectors.preference_of(request.user)
    initial = {"language": saved.language, "email_on": [e.key for e in optional if e.key not in saved.email_off]}
    form = PreferencesForm(request.POST or None, initial=initial, optional_events=optional)
    if request.method == "POST" and form.is_valid():
        services.preferences_save(
            user=request.user, language=form.cleaned_data["language"], email_on=form.cleaned_data["email_on"]
        )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    mandatory = [e for e in events if e.mandatory]
    return render(request, "notifications/preferences.html", {"form": form, "mandatory": mandatory})
