"""A record's 公開・履歴 page: its state, the open draft against the live version,
review, publishing, scheduling, share links, and every version with rollback.

Reached from the record's change form and list (careers/admin/publishing.py). Each
button posts an action here; the writes are careers/publishing/services.py and
scheduling.py, and who may press which button is decided here.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from careers.models import EmailDelivery, Revision
from careers.publishing import scheduling, services
from careers.publishing.diff import diff
from careers.publishing.preview import share_url
from careers.publishing.records import snapshot
from careers.staff import can_publish

State = Revision.State


class ScheduleForm(forms.Form):
    go_live_at = forms.DateTimeField(
        label="公開日時（日本時間）",
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": "公開日時を「2026-04-01 10:00」の形で入力してください。"},
    )


class SendBackForm(forms.Form):
    note = forms.CharField(label="編集者へのメモ", max_length=500, required=False)


def _request_review(request, draft, **_):
    services.request_review(revision=draft, by=request.user)
    return "レビューを依頼しました。編集長にメールで知らせます。"


def _send_back(request, draft, **_):
    form = SendBackForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    services.send_back(revision=draft, by=request.user, note=note)
    return "下書きを編集者に差し戻しました。"


def _schedule(request, draft, **_):
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        raise services.PublishingError(" ".join(form.errors["go_live_at"]))
    revision = scheduling.schedule(
        revision=draft, by=request.user, go_live_at=form.cleaned_data["go_live_at"]
    )
    moment = timezone.localtime(revision.go_live_at)
    return (
        f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M} に公開するよう予約しました。"
    )


def _unschedule(request, draft, **_):
    scheduling.unschedule(revision=draft, by=request.user)
    return "予約を取り消しました。下書きはレビュー待ちに戻りました。"


def _publish(request, draft, **_):
    services.publish(revision=draft, by=request.user)
    return "公開しました。公開中のページに反映されています。"


def _discard(request, draft, **_):
    services.discard(revision=draft, by=request.user)
    return "下書きを取り下げました。公開中のページは変わりません。"


def _restore(request, chosen, head_id, **_):
    services.restore(revision=chosen, by=request.user, base_id=head_id)
    return f"第{chosen.pk}版の内容を新しい下書きにしました。確認してレビューを依頼してください。"


def _restore_and_publish(request, chosen, head_id, **_):
    draft = services.restore(revision=chosen, by=request.user, base_id=head_id)
    services.publish(revision=draft, by=request.user)
    return f"第{chosen.pk}版の内容に戻して公開しました。"


def _share(request, draft, **_):
    url = settings.SITE_URL + share_url(draft)  # the canonical address, as emails use
    days = settings.PREVIEW_SHARE_DAYS
    return f"監修者用のリンクを作りました（この版だけ・閲覧のみ・{days}日間有効）: {url}"


def _mark_reviewed(request, record, **_):
    if record is None:
        raise services.PublishingError("まだ公開されていないページです。")
    services.mark_reviewed(record=record, by=request.user)
    return "変更なしで確認済みにしました（最終確認日を記録しました）。"


# The buttons: action → (needs the 編集長's publish permission, what it does). Each
# returns the message shown or raises PublishingError.
ACTIONS = {
    "request_review": (False, _request_review),
    "discard": (False, _discard),
    "share": (False, _share),
    "restore": (False, _restore),
    "mark_reviewed": (False, _mark_reviewed),
    "send_back": (True, _send_back),
    "schedule": (True, _schedule),
    "unschedule": (True, _unschedule),
    "publish": (True, _publish),
    "restore_and_publish": (True, _restore_and_publish),
}
# Actions on the open draft: refused when there is none.
DRAFT_ACTIONS = {
    "request_review",
    "discard",
    "share",
    "send_back",
    "schedule",
    "unschedule",
    "publish",
}


def record_page(model_admin, request, object_id):
    """GET: the page. POST: one action from ACTIONS, then back to the page."""
    model = model_admin.model
    try:
        pk = int(unquote(object_id))
    except ValueError:
        raise Http404 from None
    record = model.objects.filter(pk=pk).first()
    versions = Revision.objects.of(model, pk).select_related(
        "created_by", "submitted_by", "reviewed_by", "published_by"
    )
    if record is None and not versions.exists():
        raise Http404
    if not model_admin.has_view_permission(request, record):
        raise PermissionDenied
    if request.method == "POST":
        return _act(model_admin, request, record, pk, versions)
    return TemplateResponse(
        request,
        "admin/careers/publishing/record.html",
        _context(model_admin, request, record, pk, versions),
    )


def _act(model_admin, request, record, pk, versions):
    name = request.POST.get("action", "")
    if name not in ACTIONS:
        raise Http404
    needs_publish, action = ACTIONS[name]
    allowed = can_publish(request.user) if needs_publish else True
    if not (allowed and model_admin.has_change_permission(request, record)):
        raise PermissionDenied
    draft = versions.open().first()
    chosen = versions.filter(pk=request.POST.get("revision") or 0).first()
    page = reverse(f"admin:careers_{model_admin.opts.model_name}_publishing", args=[pk])
    if (name in DRAFT_ACTIONS and draft is None) or (name.startswith("restore") and not chosen):
        model_admin.message_user(request, "対象の版が見つかりません。", messages.ERROR)
        return redirect(page)
    head = services.head(model_admin.model, pk)
    head_id = int(request.POST["head"]) if request.POST.get("head", "").isdigit() else None
    if name.startswith("restore") and head_id != (head.pk if head else None):
        model_admin.message_user(
            request, str(services.Conflict(base=None, head=head)), messages.ERROR
        )
        return redirect(page)
    try:
        message = action(request, draft=draft, chosen=chosen, record=record, head_id=head_id)
    except services.PublishingError as error:
        model_admin.message_user(request, str(error), messages.ERROR)
    else:
        model_admin.message_user(request, message, messages.SUCCESS)
    return redirect(page)


def _context(model_admin, request, record, pk, versions):
    model = model_admin.model
    draft = versions.open().first()
    published = versions.filter(state=State.PUBLISHED).first()
    live = snapshot(record) if record else None
    shown = versions if request.GET.get("all") else versions.exclude(state=State.REPLACED)
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": f"{record or (draft and draft.label)} の公開・履歴",
        "record": record,
        "record_pk": pk,
        "draft": draft,
        "published": published,
        "head": draft or published,
        "versions": list(shown),
        "showing_all": bool(request.GET.get("all")),
        "draft_diff": diff(model, live, draft.data) if draft else None,
        "broken_links": services.check_links(draft) if draft else [],
        "review_email": draft.email_deliveries.filter(
            kind=EmailDelivery.Kind.REVIEW_REQUEST
        ).first()
        if draft
        else None,
        "can_publish": can_publish(request.user),
        "can_change": model_admin.has_change_permission(request, record),
        "schedule_form": ScheduleForm(),
        "send_back_form": SendBackForm(),
        "change_url": reverse(f"admin:careers_{model._meta.model_name}_change", args=[pk]),
        "public_url": record.get_absolute_url()
        if record is not None and hasattr(record, "get_absolute_url")
        else "",
    }
