import re

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from . import selectors
from .forms import placeholder

# The id of a select the response empties out of band (htmx); anything else is ignored.
_ELEMENT_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,99}$")


def _wants_json(request) -> bool:
    if request.GET.get("format") == "json":
        return True
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


@require_GET
def children(request):
    """The divisions under ``parent`` as ``<option>`` elements (htmx) or JSON.

    ``parent`` is a division code; with htmx, which sends the select's own name and value, ``parent_from`` names
    the parameter that holds it. No parent gives only the empty option (the select above was reset); an unknown
    or malformed code is a 404. ``field`` names the select being filled and is echoed in the JSON; ``clear`` is the
    id of a select further down that the HTML response empties out of band (the districts when the province changes).
    """
    parent_code = request.GET.get("parent")
    if parent_code is None and request.GET.get("parent_from"):
        parent_code = request.GET.get(request.GET["parent_from"])
    parent_code = (parent_code or "").strip()
    parent, regions = None, []
    if parent_code:
        parent = selectors.get_region(parent_code)
        if parent is None:
            raise Http404("unknown division code")
        regions = list(selectors.children(parent.code))
    level = regions[0].level if regions else None

    if _wants_json(request):
        response = JsonResponse(
            {
                "parent": {"code": parent.code, "name": parent.name} if parent else None,
                "field": request.GET.get("field", ""),
                "options": [
                    {
                        "code": region.code,
                        "name": region.name,
                        "level": region.level,
                        "final": selectors.is_final_choice(region),
                    }
                    for region in regions
                ],
            },
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        clear = request.GET.get("clear", "")
        response = render(
            request,
            "regions/options.html",
            {
                "regions": regions,
                "placeholder": placeholder(parent=parent, children_level=level),
                "clear": clear if _ELEMENT_ID.match(clear) else "",
                "clear_placeholder": placeholder(parent=None, children_level=None),
            },
        )
    patch_vary_headers(response, ["Accept"])
    return response
