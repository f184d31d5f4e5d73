"""The reader's own request, without an account: `/consultation/status/…`.

The token in the URL is checked by careers/status_links.py; a wrong or expired
one answers the site's 404 page. Every response is private and never stored
(`Cache-Control: private, no-store`), never indexed, and token pages send no
Referer, so the token does not leave the page. Every endpoint counts against
a per-client rate limit (careers/ratelimit.py: "status", and "status-lookup" for
the lost-link form). Each action is confirmed on a second screen before it is
done (POST with CSRF; no JavaScript needed).
"""

import functools

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django.views.defaults import page_not_found

from careers import ratelimit, services_reader, status_links
from careers.progress import reader_steps
from careers.reader_forms import LookupForm, PreferencesForm
from careers.staff import display_name
from guide.errors import too_many_requests

# Action (the URL's last part) → what the confirmation screen says.
ACTIONS = {
    "preferences": "連絡の希望を変更します",
    "withdraw": "お申し込みを取り下げます",
    "erase": "個人情報を削除します",
}
# `?done=` on the status page after an action: what it says.
DONE = {"preferences": "連絡の希望を変更しました。", "withdraw": "お申し込みを取り下げました。"}


def private_page(*, bucket: str = "status", token_page: bool = False):
    """Decorator: rate-limited on `bucket`, `private, no-store`, noindex, and for a
    `token_page` a Referrer-Policy that keeps the URL (the token) on this site."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not ratelimit.admit(request, bucket):
                response = too_many_requests(
                    request, retry_after=settings.CONSULTATION_RATE_WINDOW_SECONDS
                )
            else:
                try:
                    response = view(request, *args, **kwargs)
                except Http404 as error:  # so the 404 gets these headers too
                    response = page_not_found(request, error)
            response["Cache-Control"] = "private, no-store"
            response["X-Robots-Tag"] = "noindex, nofollow"
            if token_page:
                response["Referrer-Policy"] = "same-origin"
            return response

        return wrapper

    return decorate


def _consultation(token):
    consultation = status_links.resolve(token)
    if consultation is None:
        raise Http404("no such status link")  # the same for wrong, expired and replaced
    return consultation


def _render_status(request, token, consultation, form=None, status=200):
    return render(
        request,
        "careers/status.html",
        {
            "token": token,
            "consultation": consultation,
            "steps": reader_steps(consultation),
            "agent": display_name(consultation.assignee) if consultation.assignee_id else "",
            "form": form or PreferencesForm.for_request(consultation),
            "done": DONE.get(request.GET.get("done", "")),
            "link_days": settings.CONSULTATION_STATUS_LINK_DAYS,
            "canonical_path": reverse("careers:consultation_status_lookup"),
        },
        status=status,
    )


@private_page(token_page=True)
@require_http_methods(["GET", "HEAD"])
def status(request, token):
    consultation = _consultation(token)
    services_reader.record_view(consultation=consultation)
    return _render_status(request, token, consultation)


@private_page(token_page=True)
@require_POST
def status_action(request, token, action):
    """First POST: the confirmation screen. Second POST (`confirm`): done, then back
    to the status page (or, after erasing, to a page without the token)."""
    if action not in ACTIONS:
        raise Http404("no such action")
    consultation = _consultation(token)
    form = None
    if action == "preferences":
        form = PreferencesForm.for_request(consultation, request.POST)
        if not form.is_valid():
            return _render_status(request, token, consultation, form, status=400)
    elif action == "withdraw" and not consultation.is_open:
        return redirect(reverse("careers:consultation_status", args=[token]))
    if "confirm" not in request.POST:
        return render(
            request,
            "careers/status_confirm.html",
            {
                "token": token,
                "action": action,
                "title": ACTIONS[action],
                "consultation": consultation,
                "form": form,
                "canonical_path": reverse("careers:consultation_status_lookup"),
            },
        )
    if action == "preferences":
        services_reader.change_preferences(consultation=consultation, **form.cleaned_data)
    elif action == "withdraw":
        services_reader.withdraw(consultation=consultation)
    else:
        services_reader.erase_personal_data(consultation=consultation)
        return redirect("careers:consultation_status_erased")
    return redirect(reverse("careers:consultation_status", args=[token]) + f"?done={action}")


@private_page()
def status_erased(request):
    return render(request, "careers/status_erased.html")


@private_page(bucket="status-lookup")
@require_http_methods(["GET", "HEAD", "POST"])
def status_lookup(request):
    """Lost the link: a fresh one goes to the address if it matches the reference.
    The answer is the same page whether or not it matched."""
    if request.method != "POST":
        return render(request, "careers/status_lookup.html", {"form": LookupForm()})
    form = LookupForm(request.POST)
    if not form.is_valid():
        return render(request, "careers/status_lookup.html", {"form": form}, status=400)
    services_reader.send_fresh_link(**form.cleaned_data)
    return render(
        request,
        "careers/status_lookup_sent.html",
        {"days": settings.CONSULTATION_STATUS_LINK_DAYS},
    )
