"""Links the first mention of each glossary term on a content page to its entry.

Applied to the rendered HTML of office and role bodies when they are saved (by
the loader or in admin), never per request. When terms change, every linked body
is re-rendered once: after a Term is saved or deleted, or, during a content load,
once at the end of the load (`relink_once()`).
"""

import re
from contextlib import contextmanager
from contextvars import ContextVar
from html import escape

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

# Text inside these elements is never linked: links can't nest, and a heading or
# code sample should read as written.
SKIPPED_ELEMENTS = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre"}
TAG_RE = re.compile(r"(<[^>]*>)")
TAG_NAME_RE = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")

# Set inside relink_once(): term changes only mark the links stale.
_pending = ContextVar("glossary_relink_pending", default=None)


def link_terms(html, terms, *, own_name=""):
    """Wrap the first mention of each term in `html` in a link to its glossary entry.

    `terms` are (term, url) pairs. A term that is part of `own_name` (the page's
    own subject, e.g. リスク管理 on the リスク管理 page) is not linked. Longer terms
    win where terms overlap. `html` is the sanitiser's output, so tags are well formed.
    """
    wanted = {term: url for term, url in terms if term and term not in own_name}
    if not html or not wanted:
        return html
    escaped = {escape(term, quote=False): url for term, url in wanted.items()}
    pattern = re.compile("|".join(re.escape(t) for t in sorted(escaped, key=len, reverse=True)))
    linked = set()

    def link(match):
        text = match.group(0)
        if text in linked:
            return text
        linked.add(text)
        return f'<a href="{escape(escaped[text])}">{text}</a>'

    parts = []
    open_skipped = []
    for part in TAG_RE.split(html):
        if part.startswith("<"):
            name = TAG_NAME_RE.match(part)
            if name and name.group(2).lower() in SKIPPED_ELEMENTS:
                closing, tag = name.group(1), name.group(2).lower()
                if closing:
                    if tag in open_skipped:
                        open_skipped.remove(tag)
                else:
                    open_skipped.append(tag)
            parts.append(part)
        elif open_skipped or len(linked) == len(escaped):
            parts.append(part)
        else:
            parts.append(pattern.sub(link, part))
    return "".join(parts)


def glossary_terms():
    """(term, url) of every glossary entry: one query."""
    term_model = apps.get_model("careers", "Term")
    return [(term.term, term.get_absolute_url()) for term in term_model.objects.all()]


def relink_all():
    """Re-render every linked body against the current glossary.

    Writes only the HTML that changed and leaves `updated_at` alone: the text
    itself did not change.
    """
    terms = glossary_terms()
    for model_name in ("Office", "Role"):
        model = apps.get_model("careers", model_name)
        for record in model.objects.all():
            before = {name: getattr(record, f"{name}_html") for name in model.glossary_fields}
            record.render_markdown(terms=terms)
            changed = {
                f"{name}_html": getattr(record, f"{name}_html")
                for name in model.glossary_fields
                if getattr(record, f"{name}_html") != before[name]
            }
            if changed:
                model.objects.filter(pk=record.pk).update(**changed)


@contextmanager
def relink_once():
    """Within the block term saves are only noted; bodies are relinked once at its end."""
    pending = [False]
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    if pending[0]:
        relink_all()


def _terms_changed(**kwargs):
    if kwargs.get("raw"):
        return  # fixtures
    update_fields = kwargs.get("update_fields")
    if update_fields and set(update_fields) <= {"synced_fingerprint", "order"}:
        return  # nothing a link shows
    pending = _pending.get()
    if pending is not None:
        pending[0] = True
    else:
        relink_all()


@receiver(post_save, sender="careers.Term", dispatch_uid="glossary_links_term_saved")
def _term_saved(sender, **kwargs):
    _terms_changed(**kwargs)


@receiver(post_delete, sender="careers.Term", dispatch_uid="glossary_links_term_deleted")
def _term_deleted(sender, **kwargs):
    _terms_changed(**kwargs)
