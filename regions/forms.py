"""The province → city → district cascade as form fields, for any form that asks where someone is.

    class SubjectForm(RegionCascadeMixin, forms.Form):
        name = forms.CharField(...)

    form.cleaned_data["region"]    # the final Region: a county, or a city without counties (东莞)
    form.cleaned_data["province"]  # Region objects for each level ("district" is None for such a city)

Without JavaScript a POST fills the next select from what was chosen and shows the form again; the "Show the
cities and districts" button (``REFRESH_FIELD``, in ``regions/includes/region_cascade.html``) does it without errors.
With htmx the province and city selects fetch their children's options from ``regions:children`` on change.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.forms.utils import ErrorDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import selectors
from .constants import RegionLevel
from .models import Region

REFRESH_FIELD = "region_refresh"


@dataclass(frozen=True)
class RegionCascade:
    """The names of one cascade's fields; a form may hold several (say, a second one with ``prefix="mailing_"``)."""

    prefix: str = ""
    required: bool = True
    result: str = "region"

    @property
    def province(self) -> str:
        return f"{self.prefix}province"

    @property
    def city(self) -> str:
        return f"{self.prefix}city"

    @property
    def district(self) -> str:
        return f"{self.prefix}district"

    @property
    def result_name(self) -> str:
        return f"{self.prefix}{self.result}"

    def initial_for(self, region: Region | None) -> dict[str, str]:
        """The initial values that show ``region`` (a county, or a final city) selected."""
        if region is None:
            return {}
        path = selectors.region_path(region)
        return dict(zip((self.province, self.city, self.district), (r.code for r in path), strict=False))


def placeholder(*, parent: Region | None, children_level: str | None) -> str:
    """The text of the empty first option of a select that lists the children of ``parent``."""
    if children_level == RegionLevel.PROVINCE:
        return _("Choose a province")
    if children_level == RegionLevel.PREFECTURE:
        return _("Choose a city")
    if children_level == RegionLevel.COUNTY:
        return _("Choose a district or county")
    if parent is not None and parent.level == RegionLevel.PREFECTURE and selectors.is_final_choice(parent):
        return _("None: this city has no districts")
    return _("Please choose")


def _options(*, parent: Region | None, regions) -> list[tuple[str, str]]:
    regions = list(regions)
    level = regions[0].level if regions else None
    return [("", placeholder(parent=parent, children_level=level)), *((r.code, r.name) for r in regions)]


class RegionSelect(forms.Select):
    """A select of region codes; the option list comes from the form (it depends on the level above)."""


class RegionChoiceField(forms.ChoiceField):
    """A code chosen from a list the browser may have replaced: membership is checked by the form's ``clean``,
    which can say *why* a choice does not fit (not in that province, not in that city)."""

    widget = RegionSelect

    def valid_value(self, value):
        return True


class RegionCascadeMixin:
    """Adds a province, city and district select per ``RegionCascade`` in ``region_cascades`` and checks that each
    level lies in the one above. Put it before ``forms.Form`` / ``forms.ModelForm`` in the bases."""

    region_cascades: tuple[RegionCascade, ...] = (RegionCascade(),)
    error_messages_region = {
        "province_required": _("Choose a province."),
        "province_unknown": _("Choose a province from the list."),
        "city_required": _("Choose a city."),
        "city_not_in_province": _("The city you chose is not in the province you chose."),
        "district_required": _("Choose a district or county."),
        "district_not_in_city": _("The district or county you chose is not in the city you chose."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for cascade in self.region_cascades:
            self._add_region_fields(cascade)

    # --- building the selects --------------------------------------------------------------------------------

    def _add_region_fields(self, cascade: RegionCascade) -> None:
        messages = self.error_messages_region
        self.fields[cascade.province] = RegionChoiceField(
            label=_("Province"),
            required=cascade.required,
            error_messages={"required": messages["province_required"]},
            choices=_options(parent=None, regions=selectors.provinces()),
            widget=RegionSelect(attrs={"autocomplete": "address-level1"}),
        )
        province = self._chosen(cascade.province, RegionLevel.PROVINCE, parent=None)
        self.fields[cascade.city] = RegionChoiceField(
            label=_("City"),
            required=cascade.required,
            error_messages={"required": messages["city_required"]},
            choices=_options(parent=province, regions=selectors.children(province.code) if province else ()),
            widget=RegionSelect(attrs={"autocomplete": "address-level2"}),
        )
        city = self._chosen(cascade.city, RegionLevel.PREFECTURE, parent=province) if province else None
        # Not required as a field: a city without districts (东莞) is complete without one; clean() decides.
        self.fields[cascade.district] = RegionChoiceField(
            label=_("District or county"),
            required=False,
            choices=_options(parent=city, regions=selectors.children(city.code) if city else ()),
            widget=RegionSelect(attrs={"autocomplete": "address-level3"}),
        )
        self._add_htmx(cascade.province, cascade.city, clear=cascade.district)
        self._add_htmx(cascade.city, cascade.district, clear=None)
        if self.field_order:
            self.order_fields(self.field_order)

    def _chosen(self, name: str, level: str, *, parent: Region | None) -> Region | None:
        """The region the form shows selected in ``name`` (submitted or initial), if it fits under ``parent``."""
        region = selectors.get_region(self[name].value() or None)
        if region is None or region.level != level or not region.is_active:
            return None
        if parent is None:
            return region if region.is_mainland else None
        return region if region.parent_id == parent.code else None

    def _add_htmx(self, source: str, target: str, *, clear: str | None) -> None:
        query = {"field": self.add_prefix(target), "parent_from": self.add_prefix(source)}
        if clear:
            query["clear"] = self[clear].auto_id
        self.fields[source].widget.attrs.update(
            {
                "hx-get": f"{reverse('regions:children')}?{urlencode(query)}",
                "hx-trigger": "change",
                "hx-target": f"#{self[target].auto_id}",
                "hx-swap": "innerHTML",
            }
        )

    @property
    def region_field_groups(self) -> list[list[forms.BoundField]]:
        """Each cascade's bound fields, province first (for ``regions/includes/region_cascade.html``)."""
        return [[self[c.province], self[c.city], self[c.district]] for c in self.region_cascades]

    # --- no-JavaScript refresh -------------------------------------------------------------------------------

    def region_refresh_requested(self) -> bool:
        """The "show the cities" button was pressed: show the form again with the lists filled, judge nothing."""
        return self.is_bound and REFRESH_FIELD in self.data

    def full_clean(self):
        if self.region_refresh_requested():
            self._errors = ErrorDict(renderer=self.renderer)
            self.cleaned_data = {}
            return
        super().full_clean()

    def is_valid(self):
        return super().is_valid() and not self.region_refresh_requested()

    # --- validation ------------------------------------------------------------------------------------------

    def clean(self):
        cleaned_data = super().clean()
        for cascade in self.region_cascades:
            self._clean_region_cascade(cascade, cleaned_data)
        return cleaned_data

    def _clean_region_cascade(self, cascade: RegionCascade, cleaned_data: dict) -> None:
        messages = self.error_messages_region
        names = (cascade.province, cascade.city, cascade.district)
        codes = [cleaned_data.get(name) or "" for name in names]
        cleaned_data.update(dict.fromkeys((*names, cascade.result_name)))
        if cascade.province in self._errors or (not any(codes) and not cascade.required):
            return
        province_code, city_code, district_code = codes

        province = selectors.get_region(province_code)
        if province is None or not (province.is_province and province.is_mainland and province.is_active):
            code = "required" if not province_code else "invalid_choice"
            message = messages["province_required"] if not province_code else messages["province_unknown"]
            self.add_error(cascade.province, forms.ValidationError(message, code))
            return
        cleaned_data[cascade.province] = province

        if cascade.city in self._errors:
            return  # the field has said it: nothing chosen
        if not city_code:
            self.add_error(cascade.city, forms.ValidationError(messages["city_required"], "required"))
            return
        city = selectors.children(province.code).filter(code=city_code).first()
        if city is None:
            self.add_error(cascade.city, forms.ValidationError(messages["city_not_in_province"], "invalid_choice"))
            return
        cleaned_data[cascade.city] = city

        if selectors.is_final_choice(city):
            if district_code:
                error = forms.ValidationError(messages["district_not_in_city"], "invalid_choice")
                self.add_error(cascade.district, error)
                return
            cleaned_data[cascade.result_name] = city
            return
        if not district_code:
            self.add_error(cascade.district, forms.ValidationError(messages["district_required"], "required"))
            return
        district = selectors.children(city.code).filter(code=district_code).first()
        if district is None:
            self.add_error(cascade.district, forms.ValidationError(messages["district_not_in_city"], "invalid_choice"))
            return
        cleaned_data[cascade.district] = district
        cleaned_data[cascade.result_name] = district
