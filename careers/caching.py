"""The content revision, the whole-page cache and the HTTP cache headers of the guide.

The content revision is a counter that every content save or delete bumps. Its
truth is one PostgreSQL row (ContentRevision), bumped inside the writing
transaction; after commit the new number is put into the shared cache (Redis in
production), where every worker and replica reads it. PostgreSQL is read only
when the cache has lost it. So a cached page costs no SQL query, and a save is
live on every replica as soon as it is committed.

Guide pages are the same for every reader: `cached_page` stores their HTML in
the shared cache with the revision it was rendered at, serves it while that is
still the current revision, and marks it `Cache-Control: public` with an ETag
made of the release, the revision and the page, so browsers, nginx and a CDN
may keep it for HTTP_CACHE_SHARED_MAX_AGE seconds and revalidate it for free.
Everything else is `private, no-store` (guide.middleware.CacheControlMiddleware).
"""

import functools
import hashlib
import html
import re
import time
import uuid
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from careers.models import ContentRevision, DiagnosisQuestion

REVISION_KEY = "content-revision"
DIAGNOSIS_ANSWERS_KEY = "diagnosis-answers"

# key(request, revision) -> the page's identity within a revision, or None: do not cache.
PageKey = Callable[[HttpRequest, int], str | None]


# --- The content revision ------------------------------------------------------------
def _revision_in_database() -> int:
    return ContentRevision.objects.values_list("number", flat=True).first() or 0


def current_revision() -> int:
    """The content revision: from the shared cache, or PostgreSQL when the cache lost it.

    The cached value expires after PAGE_CACHE_SECONDS, so even a lost update
    (a reader putting back an older number in a race) lasts no longer than that.
    """
    revision = cache.get(REVISION_KEY)
    if revision is None:
        revision = _revision_in_database()
        # add(): never overwrite a newer number set after a commit meanwhile.
        cache.add(REVISION_KEY, revision, settings.PAGE_CACHE_SECONDS)
    return revision


def publish_revision() -> None:
    """Put the committed revision into the shared cache (runs after commit)."""
    cache.set(REVISION_KEY, _revision_in_database(), settings.PAGE_CACHE_SECONDS)


def bump_revision(**signal_kwargs) -> None:
    """Make every cached page stale once the current transaction commits.

    Connected to post_save/post_delete of every CONTENT_MODELS model (careers/apps.py);
    anything else that changes what pages show (a publish) calls it too. A
    rolled-back transaction leaves both the row and the cache as they were.
    """
    if not ContentRevision.objects.filter(pk=1).update(number=F("number") + 1):
        try:
            with transaction.atomic():
                ContentRevision.objects.create(pk=1, number=1)
        except IntegrityError:  # created meanwhile by a concurrent save
            ContentRevision.objects.filter(pk=1).update(number=F("number") + 1)
    # robust: the content is saved either way; a cache outage must not fail the save.
    transaction.on_commit(publish_revision, robust=True)


# --- Keys --------------------------------------------------------------------------
def cache_key(revision: int, *parts) -> str:
    """A key that changes with the deployment (RELEASE) and with every content change."""
    return ":".join(["page", settings.RELEASE, str(revision), *map(str, parts)])


def _digest(text: str, length: int = 32) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def _entry_key(page: str) -> str:
    """Where a page is stored; its entry carries its revision, so the key needs none."""
    return ":".join(["page", settings.RELEASE, _digest(page)])


def path_key(request: HttpRequest, revision: int) -> str:
    """Guide pages depend on their path only: a query string cannot add cache entries."""
    return request.path


def query_key(request: HttpRequest, revision: int) -> str:
    """For views that answer 200 only for the canonical form of their query (others
    redirect or fail, and only 200s are stored): keyed by the path with its query."""
    return request.get_full_path()


def diagnosis_answers(revision: int) -> dict[str, list[str]]:
    """{question slug: [answer slugs]} in question order, cached with its revision."""
    stored = cache.get(DIAGNOSIS_ANSWERS_KEY)
    if stored is not None and stored[0] == revision:
        return stored[1]
    answers = {
        question.slug: [answer.slug for answer in question.answers.all()]
        for question in DiagnosisQuestion.objects.prefetch_related("answers")
    }
    cache.set(DIAGNOSIS_ANSWERS_KEY, (revision, answers), settings.PAGE_CACHE_SECONDS)
    return answers


def _canonical_answers(request: HttpRequest, revision: int) -> str | None:
    """`q1=a&q2=b…` in question order when every question has a valid answer, else None."""
    answers = diagnosis_answers(revision)
    chosen = {slug: request.GET.get(slug) for slug in answers}
    if all(chosen[slug] in valid for slug, valid in answers.items()):
        return urlencode(chosen)
    return None


def diagnosis_result_key(request: HttpRequest, revision: int) -> str | None:
    """Only complete, valid answer sets are cached, under their canonical form, so
    made-up query strings (wrong answers, extra or reordered parameters) add nothing."""
    answers = _canonical_answers(request, revision)
    return None if answers is None else f"{request.path}?{answers}"


def diagnosis_form_key(request: HttpRequest, revision: int) -> str | None:
    """The questions page: blank, or preselected with a complete, valid answer set
    (「回答を見直す」); other query strings render uncached."""
    if not any(slug in request.GET for slug in diagnosis_answers(revision)):
        return request.path
    return diagnosis_result_key(request, revision)


# --- HTTP cache headers ------------------------------------------------------------
def etag(revision: int, page: str) -> str:
    """Changes with the release, the content revision and the page; nothing else."""
    return f'"{_digest(f"{settings.RELEASE}:{revision}:{page}", 24)}"'


def make_public(response: HttpResponse, *, tag: str, modified: float | None = None) -> None:
    """Mark a response shareable by browsers, nginx and CDNs (values: settings, docs/deploy.md)."""
    response["ETag"] = tag
    if modified is not None:
        response["Last-Modified"] = http_date(modified)
    patch_cache_control(
        response,
        public=True,
        max_age=settings.HTTP_CACHE_MAX_AGE,
        s_maxage=settings.HTTP_CACHE_SHARED_MAX_AGE,
        stale_while_revalidate=settings.HTTP_CACHE_STALE_WHILE_REVALIDATE,
        stale_if_error=settings.HTTP_CACHE_STALE_IF_ERROR,
    )


# --- The page cache ----------------------------------------------------------------
def _lookup(request: HttpRequest, key: PageKey) -> tuple[int, str | None, tuple | None]:
    """(revision, page or None, stored entry or None): one cache round trip for
    path-keyed pages, since an entry's key does not depend on the revision."""
    if key is path_key:
        page = request.path
        found = cache.get_many([REVISION_KEY, _entry_key(page)])
        revision = found.get(REVISION_KEY)
        if revision is None:
            revision = current_revision()
        return revision, page, found.get(_entry_key(page))
    revision = current_revision()
    page = key(request, revision)
    entry = None if page is None else cache.get(_entry_key(page))
    return revision, page, entry


def cached_page(view=None, *, key: PageKey = path_key):
    """Serve a GET from the shared cache while the content revision is unchanged.

    `key(request, revision)` names the page (default: its path); None renders it
    uncached and private. A matching If-None-Match is answered 304 before the
    page is even read; a hit costs no SQL query. Only 200s without cookies are
    stored and made public.
    """
    if view is None:
        return functools.partial(cached_page, key=key)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        revision, page, entry = _lookup(request, key)
        if page is None:
            return view(request, *args, **kwargs)
        tag = etag(revision, page)
        not_modified = get_conditional_response(request, etag=tag)
        if not_modified is not None:
            make_public(not_modified, tag=tag)
            return not_modified
        if entry is not None and entry[0] == revision:
            _, modified, content = entry
            response = HttpResponse(content)
        else:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.cookies:
                return response
            modified = time.time()
            entry = (revision, modified, response.content)
            cache.set(_entry_key(page), entry, settings.PAGE_CACHE_SECONDS)
        make_public(response, tag=tag, modified=modified)
        return response

    return wrapper


# --- The consultation form page ------------------------------------------------------
# The unbound form differs between readers only in two hidden inputs: the CSRF token
# and the one-time form token. The rest is stored once with slots for them.
CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')
TOKEN_INPUT = re.compile(r'(name="token" value=")[^"]+(")')
SOURCE_INPUT = re.compile(r'name="source" value="([^"]*)"')
CSRF_SLOT, TOKEN_SLOT = "\x00csrf\x00", "\x00token\x00"


def requested_source(request: HttpRequest) -> str:
    """The `source` the form page shows for these parameters, if they are valid:
    `page:<interest>` for `?role=`, `diagnosis:<keys>` for `?from=diagnosis&result=`."""
    if role := request.GET.get("role"):
        return f"page:{role}"
    if request.GET.get("from") == "diagnosis":
        return f"diagnosis:{request.GET.get('result', '')}"
    return ""


def _slotted(content: str, source: str) -> str | None:
    """The page with slots for its tokens, or None if it is not the page asked for
    (unknown or non-canonical parameters: never stored, so they add no entries)."""
    shown = SOURCE_INPUT.search(content)
    if shown is None or html.unescape(shown.group(1)) != source:
        return None
    content, csrf = CSRF_INPUT.subn(rf"\g<1>{CSRF_SLOT}\g<2>", content)
    content, token = TOKEN_INPUT.subn(rf"\g<1>{TOKEN_SLOT}\g<2>", content)
    return content if csrf == token == 1 else None


def cached_form_page(view):
    """Serve the unbound consultation form from the shared cache with fresh tokens.

    Keyed by the preselection (`requested_source`) and the year (the birth-year
    choices); stored only when the rendered page shows exactly that preselection.
    The response stays private (it sets the CSRF cookie and carries a token).
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET":
            return view(request, *args, **kwargs)
        source = requested_source(request)
        key = _entry_key(f"{request.path}?{source}&{timezone.localdate().year}")
        found = cache.get_many([REVISION_KEY, key])
        revision = found.get(REVISION_KEY)
        if revision is None:
            revision = current_revision()
        entry = found.get(key)
        if entry is not None and entry[0] == revision:
            content = entry[2].replace(CSRF_SLOT, get_token(request), 1)
            return HttpResponse(content.replace(TOKEN_SLOT, str(uuid.uuid4()), 1))
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            slotted = _slotted(response.content.decode(), source)
            if slotted is not None:
                cache.set(key, (revision, time.time(), slotted), settings.PAGE_CACHE_SECONDS)
        return response

    return wrapper
