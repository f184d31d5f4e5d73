"""What every admin view receives, with or without two-factor login.

- Query strings without NUL: PostgreSQL text cannot hold it, so a list filter,
  search or lookup value carrying one (`?interest=back%00`) would reach the
  database and end in a 500. Junk otherwise is the filters' to ignore; a number
  too large for a date (Django's date hierarchy catches ValueError, not
  OverflowError) is answered as Django answers any lookup it cannot read: the
  list's error page.
- Form data with `\\n` line endings: browsers send a textarea's lines as `\\r\\n`,
  so an untouched field would count as changed (in the history too) and be
  stored with `\\r\\n`, which export_content then writes as quoted strings.
"""

from functools import wraps

from django.contrib.admin.views.main import ERROR_FLAG
from django.http import HttpResponseRedirect, QueryDict

from careers.japanese import normalize_newlines

NUL = "\x00"


def _rebuilt(data: QueryDict, clean) -> QueryDict:
    rebuilt = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        rebuilt.setlist(clean(key), [clean(value) for value in values])
    rebuilt._mutable = False
    return rebuilt


def without_nul(data: QueryDict) -> QueryDict:
    """`data` (request.GET) with every NUL removed from names and values."""
    if not any(NUL in key or any(NUL in v for v in values) for key, values in data.lists()):
        return data
    return _rebuilt(data, lambda text: text.replace(NUL, ""))


def with_newlines(data: QueryDict) -> QueryDict:
    """`data` (request.POST) with `\\r\\n` and lone `\\r` in every value made `\\n`."""
    return _rebuilt(data, normalize_newlines)


class CleanInputMixin:
    """AdminSite mixin: every admin view (the sites' own and each ModelAdmin's, all
    wrapped by admin_view) gets request.GET and request.POST cleaned as above."""

    def admin_view(self, view, cacheable=False):
        @wraps(view)
        def cleaned_view(request, *args, **kwargs):
            request.GET = without_nul(request.GET)
            if request.method == "POST":
                request.POST = with_newlines(request.POST)
            try:
                return view(request, *args, **kwargs)
            except OverflowError:
                if request.method != "GET":
                    raise
                return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")

        return super().admin_view(cleaned_view, cacheable)
