from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .forms import InstanceBuyForm, InstanceRenewForm, ServiceNumberVerifyForm


@login_required
def instance_list(request):
    instances = list(selectors.instances_of(request.user))
    rows = [{"instance": i, "reasons": selectors.instance_ineligibility(i)} for i in instances]
    return render(request, "websites/instance_list.html", {"rows": rows, "renew_form": InstanceRenewForm()})


@login_required
@require_http_methods(["GET", "POST"])
def instance_buy(request):
    form = InstanceBuyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        instance = services.instance_buy(owner=request.user, **form.cleaned_data)
        messages.success(request, _("Instance %(name)s is ready.") % {"name": instance.name})
        return redirect("websites:instance_list")
    return render(request, "websites/instance_buy.html", {"form": form})


@login_required
@require_POST
def instance_renew(request, instance_id):
    instance = selectors.instance_of(request.user, instance_id)
    form = InstanceRenewForm(request.POST)
    if form.is_valid():
        try:
            instance = services.instance_renew(instance_id=instance.pk, actor=request.user, **form.cleaned_data)
        except services.ServiceNumberError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Renewed. The subscription now ends on %(date)s.") % {"date": instance.subscription_end.isoformat()},
            )
    return redirect("websites:instance_list")


@login_required
@require_POST
def service_number_apply(request, instance_id):
    instance = selectors.instance_of(request.user, instance_id)
    try:
        number = services.service_number_apply(instance_id=instance.pk, actor=request.user)
    except services.ServiceNumberError as exc:
        messages.error(request, exc.message)
        return redirect("websites:instance_list")
    messages.success(request, _("Service number %(number)s issued.") % {"number": number.number})
    return redirect("websites:service_number_list")


@login_required
def service_number_list(request):
    instances = list(selectors.instances_of(request.user))
    numbers = list(selectors.service_numbers_of(request.user))
    by_instance = {
        i.pk: {"instance": i, "reasons": selectors.instance_ineligibility(i), "numbers": []} for i in instances
    }
    for number in numbers:
        by_instance[number.instance_id]["numbers"].append(number)
    return render(request, "websites/service_number_list.html", {"groups": list(by_instance.values())})


@login_required
def service_number_detail(request, number):
    found = get_object_or_404(selectors.service_numbers_of(request.user), number=number)
    return render(request, "websites/service_number_detail.html", {"number": found})


@login_required
@require_http_methods(["GET", "POST"])
def service_number_verify(request):
    form = ServiceNumberVerifyForm(request.POST or None)
    verified = None
    if request.method == "POST" and form.is_valid():
        try:
            verified = services.service_number_verify(number=form.cleaned_data["number"], actor=request.user)
        except services.ServiceNumberError as exc:
            form.add_error("number", exc.message)
    return render(request, "websites/service_number_verify.html", {"form": form, "verified": verified})
