"""Internal links in content: which point at a site page that is missing or not published.

A link is internal when its URL is a site path (`/offices/middle/`, `/glossary/#kpi`).
It is broken when the path is not a reader's page of the site, when it names an
office, role or glossary entry that is not published, or — for a draft being
published — when it would be once this draft is live. Publishing is refused while a
draft has one (careers/publishing/services.py); the editors' dashboard lists them.
"""

import copy
import re
from dataclasses import dataclass
from html import unescape
from urllib.parse import urldefrag, urlsplit

from django.db import models
from django.urls import Resolver404, resolve

from careers.content.schema import MARKDOWN_KEYS
from careers.markdown import render
from careers.models import Office, Role, Term
from careers.publishing.labels import path_label

HREF_RE = re.compile(r'<a href="([^"]*)"')


@dataclass(frozen=True)
class BrokenLink:
    where: str  # the field, e.g. 「よくある質問 2 件目 回答」
    url: str
    reason: str  # Japanese, for the editor

    def __str__(self):
        return f"{self.where}: {self.url}（{self.reason}）"


class SiteIndex:
    """What is published now: office slugs, role keys and glossary anchors (three queries)."""

    def __init__(self):
        self.offices = set(Office.objects.published().values_list("slug", flat=True))
        self.roles = {role.key for role in Role.objects.published()}
        self.terms = set(Term.objects.values_list("slug", flat=True))

    def including(self, model: type[models.Model], values: dict) -> "SiteIndex":
        """This index as it will be once a draft is live: a `model` record with the
        columns `values` (a revision's `rows["record"]`), so a draft may link to
        itself or to its own new address."""
        index = copy.copy(self)
        index.offices, index.roles, index.terms = (
            set(self.offices),
            set(self.roles),
            set(self.terms),
        )
        if model is Office and values.get("published"):
            index.offices.add(values["slug"])
        elif model is Role and values.get("published"):
            office = Office.objects.filter(pk=values["office_id"]).first()
            if office is not None and office.slug in index.offices:
                index.roles.add(f"{office.slug}/{values['slug']}")
        elif model is Term:
            index.terms.add(values["slug"])
        return index

    def problem(self, url: str) -> str | None:
        """Why internal `url` is broken (Japanese), or None if it works."""
        path, fragment = urldefrag(url)
        try:
            match = resolve(urlsplit(path).path)
        except Resolver404:
            return "このページはありません"
        if match.namespace != "careers":
            return "読者向けのページではありません"
        if match.url_name == "office" and match.kwargs["office"] not in self.offices:
            return "部門が公開されていません"
        role_key = f"{match.kwargs.get('office')}/{match.kwargs.get('role')}"
        if match.url_name == "role" and role_key not in self.roles:
            return "職種が公開されていません"
        if match.url_name == "glossary" and fragment and fragment not in self.terms:
            return "用語集にこの用語がありません"
        return None


def internal_links(data: dict) -> list[tuple[tuple, str]]:
    """(path of the value in the snapshot, url) of each site-internal link in the
    Markdown values of snapshot `data`, e.g. `(("faqs", 1, "answer"), "/glossary/")`."""
    found = []

    def walk(value, path):
        if isinstance(value, dict):
            for key, item in value.items():
                if key in MARKDOWN_KEYS and isinstance(item, str):
                    urls = HREF_RE.findall(render(item))
                    found.extend(((*path, key), unescape(url)) for url in urls)
                else:
                    walk(item, (*path, key))
        elif isinstance(value, list):
            for number, item in enumerate(value):
                walk(item, (*path, number))

    walk(data, ())
    return [(path, url) for path, url in found if url.startswith("/") and not url.startswith("//")]


def broken_links(model: type[models.Model], data: dict, index: SiteIndex) -> list[BrokenLink]:
    """The internal links of snapshot `data` of a `model` record that `index` says are broken."""
    return [
        BrokenLink(path_label(model, path), url, reason)
        for path, url in internal_links(data)
        if (reason := index.problem(url))
    ]
