"""Drafts in the editors' workspace: saving a record in the admin stores a draft.

The whole admin is reused (forms, inlines, validation, messages): each change form
runs inside careers.publishing.records.applied(). With an open draft, the draft is
applied first, so the form and its inlines show it (rows and ids as the draft has
them). On a valid save the admin writes as usual, the result is captured as a
revision's data and rows, and everything is rolled back: the live row readers see
is untouched, and the capture is stored as the record's new draft. Publishing is
separate (careers/admin/record_page.py, careers/publishing/services.py).

A hidden field carries the version the form was opened on; if someone else saved
the record since, the save is refused with what they changed, and the editor's
input stays in the form.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from careers.admin import record_page
from careers.models import Revision
from careers.publishing import services
from careers.publishing.diff import diff
from careers.publishing.records import Capture, applied, capture

BASE_FIELD = "publishing_base"
State = Revision.State


@dataclass
class Publishing:
    """What one change-form request knows about its record's versions."""

    draft: Revision | None
    head: Revision | None
    live: Capture | None = None  # the live record, read before a save
    captured: Capture | None = None
    conflict: services.Conflict | None = None


class DraftFormMixin:
    """Mixed into the admin's form: the opened version and the lost-update check."""

    publishing: Publishing

    def clean(self):
        cleaned = super().clean()
        state = self.publishing
        head_id = state.head.pk if state.head else None
        if cleaned.get(BASE_FIELD) != head_id:
            base_id = cleaned.get(BASE_FIELD)
            base = Revision.objects.filter(pk=base_id).first() if base_id else None
            state.conflict = services.Conflict(base=base, head=state.head)
            # Shown again with the editor's input; saving again means "I have seen it".
            self.data = self.data.copy()
            self.data[self.add_prefix(BASE_FIELD)] = head_id or ""
            raise ValidationError(str(state.conflict), code="conflict")
        return cleaned


def state_text(record_published: bool | None, draft_state: str | None, go_live_at) -> str:
    """公開中 / 非公開, then 下書きあり / レビュー待ち / 予約公開 (M/D HH:MM) when a draft is open."""
    parts = ["非公開" if record_published is False else "公開中"]
    if draft_state == State.SCHEDULED and go_live_at:
        moment = timezone.localtime(go_live_at)
        parts.append(f"予約公開 {moment.month}/{moment.day} {moment:%H:%M}")
    elif draft_state == State.IN_REVIEW:
        parts.append("下書きあり（レビュー待ち）")
    elif draft_state:
        parts.append("下書きあり")
    return "・".join(parts)


class DraftAdminMixin:
    """ModelAdmin mixin for the publishable content models (careers/publishing/records.py)."""

    change_form_template = "admin/careers/publishing/change_form.html"
    change_list_template = "admin/careers/publishing/change_list.html"

    # --- URLs: the record's 公開・履歴 page

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_publishing"
        view = self.admin_site.admin_view(self.publishing_view)
        return [path("<path:object_id>/publishing/", view, name=name), *super().get_urls()]

    def publishing_view(self, request, object_id):
        return record_page.record_page(self, request, object_id)

    # --- The list: each record's state; new records that exist only as drafts

    def get_queryset(self, request):
        drafts = Revision.objects.open().filter(
            content_type=ContentType.objects.get_for_model(self.model), object_id=OuterRef("pk")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                draft_state=Subquery(drafts.values("state")[:1]),
                draft_go_live_at=Subquery(drafts.values("go_live_at")[:1]),
            )
        )

    def get_list_display(self, request):
        return [*super().get_list_display(request), "publishing_state"]

    @admin.display(description="状態")
    def publishing_state(self, obj):
        text = state_text(getattr(obj, "published", None), obj.draft_state, obj.draft_go_live_at)
        url = reverse(f"admin:careers_{self.opts.model_name}_publishing", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, text)

    def changelist_view(self, request, extra_context=None):
        new_drafts = (
            Revision.objects.open()
            .filter(content_type=ContentType.objects.get_for_model(self.model))
            .exclude(object_id__in=Subquery(self.model.objects.values("pk")))
        )
        extra_context = {**(extra_context or {}), "new_drafts": new_drafts}
        return super().changelist_view(request, extra_context)

    # --- The change form: a draft in, a draft out

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        pk = _pk(object_id)
        state = Publishing(
            draft=services.open_draft(self.model, pk) if pk else None,
            head=services.head(self.model, pk) if pk else None,
        )
        if pk and request.method == "POST" and self.model.objects.filter(pk=pk).exists():
            state.live = capture(self.model, pk)
        request.publishing = state
        with applied(state.draft):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()  # now, while the draft is in the database
        if state.captured is None:
            return response
        return self._store(request, state)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        state = getattr(request, "publishing", None)
        if state is None or kwargs.get("fields") is None:
            return form  # get_fields() asks for the form's fields: not ours to show
        base = forms.IntegerField(
            required=False,
            widget=forms.HiddenInput,
            initial=state.head.pk if state.head else None,
        )
        return type(form.__name__, (DraftFormMixin, form), {BASE_FIELD: base, "publishing": state})

    def response_add(self, request, obj, post_url_continue=None):
        return self._capture(request, obj)

    def response_change(self, request, obj):
        return self._capture(request, obj)

    def _capture(self, request, obj):
        request.publishing.captured = capture(self.model, obj.pk)
        return HttpResponseRedirect(request.path)  # replaced once the draft is stored

    def _store(self, request, state):
        base_id = request.POST.get(BASE_FIELD) or None
        captured = state.captured
        change_url = reverse(f"admin:careers_{self.opts.model_name}_change", args=[captured.pk])
        shown = state.draft or state.live  # what the form showed
        if shown is not None and shown.rows == captured.rows:
            self.message_user(request, "変更がないため、下書きは作りませんでした。", messages.INFO)
            return redirect(change_url)
        try:
            services.save_draft(
                captured=captured, by=request.user, base_id=int(base_id) if base_id else None
            )
        except services.Conflict as error:
            self.message_user(request, str(error), messages.ERROR)
            return redirect(change_url)
        message = "下書きを保存しました。公開中のページはまだ変わっていません。"
        if state.draft and state.draft.state == State.SCHEDULED:
            message += "予約していた公開は取り消しました。"
        self.message_user(request, f"「{captured.label}」の{message}", messages.SUCCESS)
        if "_addanother" in request.POST:
            return redirect(f"admin:careers_{self.opts.model_name}_add")
        return redirect(change_url)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        state = getattr(request, "publishing", None)
        if state is not None and obj is not None:
            context["publishing"] = state
            context["publishing_url"] = reverse(
                f"admin:careers_{self.opts.model_name}_publishing", args=[obj.pk]
            )
            if state.conflict is not None:
                context["conflict_diff"] = _conflict_diff(self.model, state)
        return super().render_change_form(request, context, add, change, form_url, obj)


def _pk(object_id: str | None) -> int | None:
    try:
        return int(unquote(object_id)) if object_id else None
    except ValueError:
        return None


def _conflict_diff(model, state: Publishing):
    """What changed between the version the editor opened and the one saved since."""
    conflict = state.conflict
    if conflict.base is not None:
        before = conflict.base.data
    elif conflict.head is not None and conflict.head.base is not None:
        before = conflict.head.base.data
    else:  # no version was stored when the form was opened: it showed the live record
        before = state.live.data if state.live else None
    return diff(model, before, conflict.head.data if conflict.head else None)
