"""``POST /filing/callbacks/administration/``: the administration reports a result (docs/administration.md).

Machine to machine: no session, no CSRF token; the HMAC signature (``core.signing``, header ``X-ICP-Signature``,
secret ``MIIT_CALLBACK_SECRET``) is checked over the raw body before anything is read — a missing, stale or wrong one
is answered 401. The answer is JSON, signed the same way: 200 ``applied`` or ``duplicate``; 400 malformed; 404
unknown order; 409 the order is not ready for this event (the administration retries later); 422 refused.
"""

import json

from django.conf import settings
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core import signing

from ..callbacks import CallbackRefused, callback_apply


def _answer(status: int, body: dict) -> JsonResponse:
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    secret = getattr(settings, "MIIT_CALLBACK_SECRET", "")
    if secret:
        response[signing.SIGNATURE_HEADER] = signing.sign(secret=secret, body=response.content)
    return response


@csrf_exempt
@require_POST
def administration_callback(request):
    try:
        signing.verify(
            secret=getattr(settings, "MIIT_CALLBACK_SECRET", ""),
            body=request.body,
            header=request.headers.get(signing.SIGNATURE_HEADER),
        )
    except signing.SignatureError as exc:
        response = _answer(401, {"error": "bad_signature", "detail": str(exc)})
        response["WWW-Authenticate"] = "ICP-HMAC-SHA256"
        return response
    try:
        event = json.loads(request.body)
    except ValueError:
        return _answer(400, {"error": "bad_json", "detail": "The body is not JSON."})
    try:
        outcome = callback_apply(event=event)
    except CallbackRefused as exc:
        return _answer(exc.status, {"error": exc.code, "detail": exc.message})
    return _answer(200, {"status": outcome, "event_id": event["event_id"]})


urlpatterns = [
    path("callbacks/administration/", administration_callback, name="administration_callback"),
]
