"""The project's URLs plus a page with a region cascade form, for the form tests (no demo page ships)."""

from django import forms
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from icpfiling.urls import urlpatterns as project_urlpatterns
from regions.forms import RegionCascadeMixin

PAGE = engines["django"].from_string(
    '<form method="post">{% csrf_token %}{% include "includes/error_summary.html" with form=form %}'
    '{% include "regions/includes/region_cascade.html" with form=form %}<button type="submit">OK</button></form>'
)


class AddressForm(RegionCascadeMixin, forms.Form):
    street = forms.CharField(required=False)


def address_page(request):
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return HttpResponse(f"chosen {form.cleaned_data['region'].code}")
    return HttpResponse(PAGE.render({"form": form}, request))


urlpatterns = [path("test/address/", address_page, name="test_address"), *project_urlpatterns]
