"""Whole-page cache for the public guide.

Rendering a guide page costs a few milliseconds of template work; serving it
from the cache costs one primary-key query for the content revision. The
revision is bumped in the database whenever any content record is saved or
deleted, so an editor's change is live on every worker and replica at once,
whatever the cache backend. Only views without per-visitor output (no forms
with CSRF tokens, no cookies) are cached.
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpResponse

from careers.models import ContentRevision


def current_revision() -> int:
    """The content revision number (0 before any content exists): one query."""
    return ContentRevision.objects.values_list("number", flat=True).first() or 0


def bump_revision(**kwargs) -> None:
    """Signal receiver: any content change makes every cached page stale."""
    if ContentRevision.objects.filter(pk=1).update(number=F("number") + 1):
        return
    try:
        with transaction.atomic():
            ContentRevision.objects.create(pk=1, number=1)
    except IntegrityError:  # created meanwhile by a concurrent save
        ContentRevision.objects.filter(pk=1).update(number=F("number") + 1)


def cache_key(revision: int, *parts: object) -> str:
    """A key that changes with the deployment and with every content change."""
    return ":".join(["page", settings.RELEASE, str(revision), *map(str, parts)])


def cached_page(view=None, *, by_query=False):
    """Serve a GET from the cache while the content revision is unchanged.

    Pages are keyed by path; `by_query` adds the query string, for views whose
    output depends on it (the diagnosis). Other query strings are ignored, so
    they cannot fill the cache.
    """
    if view is None:
        return functools.partial(cached_page, by_query=by_query)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET":
            return view(request, *args, **kwargs)
        url = request.get_full_path() if by_query else request.path
        key = cache_key(current_revision(), hashlib.sha256(url.encode()).hexdigest()[:32])
        content = cache.get(key)
        if content is not None:
            return HttpResponse(content)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.cookies:
            cache.set(key, response.content, settings.PAGE_CACHE_SECONDS)
        return response

    return wrapper
