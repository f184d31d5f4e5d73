"""Links the first mention of each glossary term on a content page to its entry.

Applied to the rendered HTML of office and role bodies when they are saved (by
the loader or in admin), never per request. Office and role names count as phrases
too: a term inside one (労務 in 人事・労務) is not a mention of the term. So when a
term or a name changes, every linked body is re-rendered once: after a Term, Office
or Role is saved or deleted, or, during a content load, once at the end of the load
(`relink_once()`).
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
    """Wrap the first mention of each glossary term in `html` in a link to its entry.

    `terms` are (phrase, url) pairs: a glossary term with its entry's URL, or, with url
    None, a name read as one unit (an office or role name) that is never linked. A phrase
    found inside a longer phrase is not a mention of it: in 人事・労務 neither 労務 nor 人事
    is linked, in リスク管理 リスク is not. Of phrases that only partly overlap, the longer
    wins. A term that is part of `own_name` (the page's own subject, e.g. リスク管理 on the
    リスク管理 page) is not linked. `html` is the sanitiser's output, so tags are well
    formed; the text between them is HTML-escaped.
    """
    urls = {}
    for phrase, url in terms:
        if phrase:
            urls.setdefault(escape(phrase, quote=False), None if phrase in own_name else url)
    if not html or not any(urls.values()):
        return html
    wanted = sum(1 for url in urls.values() if url)
    linked = set()

    def link(text):
        out, done = [], 0
        for start, end in _mentions(text, urls):
            phrase = text[start:end]
            if urls[phrase] is None or phrase in linked:
                continue
            linked.add(phrase)
            out += [text[done:start], f'<a href="{escape(urls[phrase])}">{phrase}</a>']
            done = end
        return "".join(out) + text[done:]

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
        elif open_skipped or len(linked) == wanted:
            parts.append(part)
        else:
            parts.append(link(part))
    return "".join(parts)


def _mentions(text, phrases):
    """(start, end) of each phrase occurrence in `text` that is a mention, in text order.

    An occurrence inside a longer one is never a mention; of occurrences that partly
    overlap, the longer (then the earlier) is.
    """
    found = []
    for phrase in phrases:
        start = text.find(phrase)
        while start != -1:
            found.append((start, start + len(phrase)))
            start = text.find(phrase, start + 1)
    mentions = []
    for start, end in sorted(found, key=lambda span: (span[0] - span[1], span[0])):
        inside_longer = any(s <= start and end <= e and e - s > end - start for s, e in found)
        if not inside_longer and all(end <= s or e <= start for s, e in mentions):
            mentions.append((start, end))
    return sorted(mentions)


def glossary_terms():
    """(phrase, url) pairs for `link_terms`: each glossary term with its entry's URL, then
    each office or role name that is not a term with None. Two queries (terms, names)."""
    term_model = apps.get_model("careers", "Term")
    terms = [(term.term, term.get_absolute_url()) for term in term_model.objects.all()]
    known = {term for term, _ in terms}
    office_names = apps.get_model("careers", "Office").objects.order_by().values_list("name")
    role_names = apps.get_model("careers", "Role").objects.order_by().values_list("name")
    names = {name for (name,) in office_names.union(role_names).order_by()}
    return terms + [(name, None) for name in sorted(names - known)]


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
    """Within the block term, office and role saves are only noted; bodies are relinked
    once at its end."""
    pending = [False]
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    if pending[0]:
        relink_all()


def _phrases_changed(**kwargs):
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
@receiver(post_save, sender="careers.Office", dispatch_uid="glossary_links_office_saved")
@receiver(post_save, sender="careers.Role", dispatch_uid="glossary_links_role_saved")
def _phrase_saved(sender, **kwargs):
    _phrases_changed(**kwargs)


@receiver(post_delete, sender="careers.Term", dispatch_uid="glossary_links_term_deleted")
@receiver(post_delete, sender="careers.Office", dispatch_uid="glossary_links_office_deleted")
@receiver(post_delete, sender="careers.Role", dispatch_uid="glossary_links_role_deleted")
def _phrase_deleted(sender, **kwargs):
    _phrases_changed(**kwargs)
