"""Previews: a draft shown on its real page, to staff and through a share link.

The draft is applied in a savepoint (careers/publishing/records.py `applied`), the
public view of its page runs as it does for readers — the same template,
neighbours, breadcrumbs and glossary links, from the database as it would be —
and everything is rolled back. The view is called without its page cache
(`inspect.unwrap`), the shared cache is off meanwhile, and the response says
`private, no-store` and `noindex`: a preview is never stored or indexed.

A share link lets an outside reviewer (監修者) without an admin account read one
revision: a signed token (salt: SHARE_SALT) that expires after
settings.PREVIEW_SHARE_DAYS days. A forged, expired or withdrawn link is a plain 404.
"""

import copy
import inspect
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.urls import resolve, reverse
from django.views.decorators.http import require_GET

from careers.models import Office, Revision, Role
from careers.publishing.records import applied, public_path

SHARE_SALT = "careers.publishing.preview-share"
# A link to a draft replaced by a newer save or discarded no longer answers.
SHARED_STATES = (*Revision.OPEN_STATES, *Revision.PUBLIC_STATES)


def _shown(revision: Revision) -> None:
    """Make the previewed record (and a role's office) visible to the public views,
    inside the savepoint: a draft is previewed even while it is unpublished."""
    model, values = revision.model, revision.rows["record"]
    if model in (Office, Role):
        model.objects.filter(pk=revision.object_id).update(published=True)
    if model is Role:
        Office.objects.filter(pk=values["office_id"]).update(published=True)


def render_preview(request: HttpRequest, revision: Revision) -> HttpResponse:
    """The public page of `revision`'s record with the revision applied, rendered now.

    Raises Http404 when the page cannot be shown (e.g. a role whose office is gone).
    """
    with applied(revision):
        _shown(revision)
        path = public_path(revision.model, revision.rows["record"])
        page_request = copy.copy(request)
        page_request.path = page_request.path_info = path
        page_request.GET = QueryDict()
        page_request.preview = revision  # the banner and noindex (base.html)
        match = resolve(path)
        response = inspect.unwrap(match.func)(page_request, *match.args, **match.kwargs)
        if hasattr(response, "render"):
            response.render()
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def share_url(revision: Revision) -> str:
    """The path of a share link to `revision` (valid PREVIEW_SHARE_DAYS days from now)."""
    token = signing.dumps(revision.pk, salt=SHARE_SALT, compress=True)
    return reverse("careers:shared_preview", args=[token])


def shared_revision(token: str) -> Revision | None:
    """The revision a share token names, if the token is genuine, unexpired and the
    revision still shown; else None."""
    try:
        pk = signing.loads(
            token, salt=SHARE_SALT, max_age=timedelta(days=settings.PREVIEW_SHARE_DAYS)
        )
    except signing.BadSignature:  # forged, altered or expired (SignatureExpired)
        return None
    if not isinstance(pk, int):
        return None
    return Revision.objects.filter(pk=pk, state__in=SHARED_STATES).first()


@require_GET
def shared_preview(request: HttpRequest, token: str) -> HttpResponse:
    """The 監修者's read-only view of one draft."""
    revision = shared_revision(token)
    if revision is None:
        raise Http404
    return render_preview(request, revision)
