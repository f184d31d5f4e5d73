"""The editors' dashboard, previews and comparisons of versions (Revision admin).

- `dashboard/`, the editors' dashboard: pages due for review (次回見直し日), drafts
  waiting for review, scheduled publications, other drafts, broken internal links,
  recent publications. The list of 版 is every version of every record.
- `<id>/preview/`: the version on its real page at phone and desktop widths (two
  frames of `<id>/preview/page/`, the only responses that may be framed, by us).
- `<id>/compare/<other>/`: field-by-field differences with another version or `live`.
Versions are written only through the workflow (careers/publishing/), never here.
"""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override

from careers.models import Revision
from careers.publishing.diff import diff
from careers.publishing.links import SiteIndex, broken_links
from careers.publishing.preview import render_preview
from careers.publishing.records import PUBLISHABLE, children, snapshot

# The preview page is framed by our own preview screen, and only that page.
FRAMED_BY_US = {**settings.SECURE_CSP, "frame-ancestors": [CSP.SELF]}
State = Revision.State


def publishing_url(model, pk) -> str:
    return reverse(f"admin:careers_{model._meta.model_name}_publishing", args=[pk])


def due_for_review(today) -> list[tuple[object, str]]:
    """(record, its 公開・履歴 URL) of each record whose 次回見直し日 has come and that
    was neither marked reviewed nor republished with changes since."""
    due = []
    for model in PUBLISHABLE.values():
        records = (
            model.objects.filter(review_by__lte=today)
            .exclude(last_reviewed_at__date__gte=F("review_by"))
            .exclude(content_updated_at__date__gte=F("review_by"))
            .order_by("review_by", "pk")
        )
        due += [(record, publishing_url(model, record.pk)) for record in records]
    return sorted(due, key=lambda item: item[0].review_by)


def all_broken_links() -> list[tuple[str, str, object]]:
    """(page name, its 公開・履歴 URL, BrokenLink) for every live record and open draft."""
    index = SiteIndex()
    found = []
    for model in PUBLISHABLE.values():
        related = [relation.get_accessor_name() for relation in children(model)]
        for record in model.objects.prefetch_related(*related):
            for link in broken_links(model, snapshot(record), index):
                found.append((f"{record}（公開中）", publishing_url(model, record.pk), link))
    for draft in Revision.objects.open().select_related("content_type"):
        draft_index = index.including(draft.model, draft.rows["record"])
        for link in broken_links(draft.model, draft.data, draft_index):
            url = publishing_url(draft.model, draft.object_id)
            found.append((f"{draft.label}（下書き）", url, link))
    return found


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    """Every version of every record, newest first; each opens its record's 公開・履歴."""

    list_display = ["__str__", "content_type", "state", "source", "created_by", "published_at"]
    list_filter = ["state", "source", "content_type"]
    list_select_related = ["content_type", "created_by"]
    search_fields = ["label"]
    search_help_text = "ページの名前で検索できます。"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        framed = csp_override(FRAMED_BY_US)(xframe_options_sameorigin(self.preview_page_view))
        return [
            path("dashboard/", wrap(self.dashboard_view), name="careers_revision_dashboard"),
            path("<int:pk>/preview/", wrap(self.preview_view), name="careers_revision_preview"),
            path("<int:pk>/preview/page/", wrap(framed), name="careers_revision_preview_page"),
            path(
                "<int:pk>/compare/<str:other>/",
                wrap(self.compare_view),
                name="careers_revision_compare",
            ),
            *super().get_urls(),
        ]

    def _revision(self, request, pk) -> Revision:
        revision = get_object_or_404(Revision.objects.select_related("content_type"), pk=pk)
        model_name = revision.content_type.model
        if not (
            self.has_view_permission(request, revision)
            and request.user.has_perm(f"careers.view_{model_name}")
        ):
            raise PermissionDenied
        return revision

    def dashboard_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        versions = Revision.objects.select_related("content_type", "created_by", "submitted_by")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "編集ダッシュボード",
            "due": due_for_review(timezone.localdate()),
            "in_review": versions.filter(state=State.IN_REVIEW).order_by("submitted_at"),
            "scheduled": versions.filter(state=State.SCHEDULED).order_by("go_live_at"),
            "drafts": versions.filter(state=State.DRAFT).order_by("-created_at"),
            "broken": all_broken_links(),
            "recent": versions.filter(state__in=Revision.PUBLIC_STATES)
            .select_related("published_by")
            .order_by("-published_at")[:10],
        }
        return TemplateResponse(request, "admin/careers/publishing/dashboard.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        revision = self._revision(request, object_id)
        return redirect(publishing_url(revision.model, revision.object_id))

    def preview_view(self, request, pk):
        revision = self._revision(request, pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"プレビュー: {revision.label}（第{revision.pk}版）",
            "revision": revision,
            "page_url": reverse("admin:careers_revision_preview_page", args=[pk]),
            "record_url": publishing_url(revision.model, revision.object_id),
        }
        return TemplateResponse(request, "admin/careers/publishing/preview.html", context)

    def preview_page_view(self, request, pk):
        return render_preview(request, self._revision(request, pk))

    def compare_view(self, request, pk, other):
        revision = self._revision(request, pk)
        model = revision.model
        if other == "live":
            live = model.objects.filter(pk=revision.object_id).first()
            before, before_title = (snapshot(live) if live else None), "公開中の版"
        else:
            versions = Revision.objects.of(model, revision.object_id)
            older = versions.filter(pk=other).first() if other.isdigit() else None
            if older is None:
                raise Http404
            before, before_title = older.data, f"第{older.pk}版（{older.get_state_display()}）"
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"比較: {revision.label}",
            "revision": revision,
            "before_title": before_title,
            "after_title": f"第{revision.pk}版（{revision.get_state_display()}）",
            "changes": diff(model, before, revision.data),
            "record_url": publishing_url(model, revision.object_id),
        }
        return TemplateResponse(request, "admin/careers/publishing/compare.html", context)
