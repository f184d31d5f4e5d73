"""The consultation form's POSTs: 確認 (check, then show what was entered), 修正する
(back to the form as typed) and 送信する (check again, store once, thanks).

Every step is a POST to /consultation/ answered with a page, never a redirect
carrying data, so nothing a reader typed reaches a URL, a log or a shared cache.
The confirmation page carries the input in hidden fields and 送信する validates
them again like any other input. Only 送信する counts against the rate limit and
stores; a missing or unknown step only confirms.
"""

import logging
import math
from enum import StrEnum

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from careers import ratelimit, services
from careers.forms import ConsultationForm
from careers.request_summary import summary
from careers.selectors import GroupedChoices, interest_choices_or_fallback, interest_labels
from guide.errors import DATABASE_ERRORS, too_many_requests

logger = logging.getLogger(__name__)

FORM_TEMPLATE = "careers/consultation.html"
CONFIRM_TEMPLATE = "careers/consultation_confirm.html"
# Names the stored request to the thanks page, signed and sent to that path only, so
# no personal data (and no guessable id) is ever in a URL. Short-lived: the thanks
# page repeats what was sent, which the next person at a shared computer should not
# find there.
THANKS_COOKIE = "consultation_reference"
THANKS_COOKIE_MAX_AGE = 30 * 60  # seconds


class Step(StrEnum):
    """The value of the `step` button that sent the form."""

    CONFIRM = "confirm"
    EDIT = "edit"
    SEND = "send"


def post(request: HttpRequest) -> HttpResponse:
    """Answer a POST of the consultation form according to its `step` button."""
    choices = interest_choices_or_fallback(request.POST.getlist("interests"))
    step = request.POST.get("step")
    if step == Step.SEND:
        return _send(request, choices)
    if step == Step.EDIT:
        return render(request, FORM_TEMPLATE, {"form": _as_typed(request, choices)})
    return _confirm(request, choices)


def _confirm(request, choices):
    form = ConsultationForm(request.POST, interest_choices=choices)
    if not form.is_valid():
        return render(request, FORM_TEMPLATE, {"form": form})
    if form.is_spam:
        return redirect("careers:consultation_thanks")
    response = render(
        request,
        CONFIRM_TEMPLATE,
        {
            "sections": summary(form.cleaned_data, interest_labels=interest_labels(choices)),
            # The form's own fields as sent (not the honeypot), for 修正する and 送信する.
            "carried": [
                (name, value)
                for name in form.fields
                if name != "website"
                for value in form.data.getlist(name)
            ],
        },
    )
    add_never_cache_headers(response)
    return response


def _as_typed(request, choices):
    """The form again as the reader typed it: unchecked, so no errors are shown."""
    return ConsultationForm(
        initial=ConsultationForm.initial_from(request.POST), interest_choices=choices
    )


def _send(request, choices):
    if ratelimit.is_limited(request):
        return _rate_limited(request, choices)
    form = ConsultationForm(request.POST, interest_choices=choices)
    if not form.is_valid():
        return render(request, FORM_TEMPLATE, {"form": form})
    if not ratelimit.admit(request):
        return _rate_limited(request, choices)
    if form.is_spam:
        return redirect("careers:consultation_thanks")
    try:
        consultation, _ = services.submit_consultation(
            data=form.cleaned_data,
            token=form.cleaned_data["token"],
            source=form.cleaned_data["source"],
        )
    except DATABASE_ERRORS:
        # Only a lost connection is an outage; any other database error is a bug (500).
        # Never claim success: say plainly it was not received, keep the input.
        logger.error("consultation not stored: database unavailable")
        return render(
            request, FORM_TEMPLATE, {"form": form, "database_unavailable": True}, status=503
        )
    response = redirect("careers:consultation_thanks")
    response.set_signed_cookie(
        THANKS_COOKIE,
        consultation.reference,
        salt=THANKS_COOKIE,
        max_age=THANKS_COOKIE_MAX_AGE,
        path=reverse("careers:consultation_thanks"),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


def _rate_limited(request, choices: GroupedChoices) -> HttpResponse:
    """429 with the form again as typed (nothing stored), saying how long to wait."""
    wait = settings.CONSULTATION_RATE_WINDOW_SECONDS
    return too_many_requests(
        request,
        retry_after=wait,
        template_name=FORM_TEMPLATE,
        context={"form": _as_typed(request, choices), "retry_minutes": math.ceil(wait / 60)},
    )


def sent_reference(request: HttpRequest) -> str | None:
    """The reference of the request this browser stored in the last THANKS_COOKIE_MAX_AGE
    seconds, from the signed cookie; None without one (or a forged or stale one)."""
    return request.get_signed_cookie(
        THANKS_COOKIE, default=None, salt=THANKS_COOKIE, max_age=THANKS_COOKIE_MAX_AGE
    )
