"""The markdownx editor's two endpoints, for content editors only.

markdownx's own views answer anyone; these replace them under the same paths
and URL names (its widget script posts to `/markdownx/markdownify/` and
`/markdownx/upload/`). The preview goes through careers.markdown.render, the
renderer readers get. Uploads must really be PNG, JPEG, GIF or WebP images, within
bounded pixels and frames: they are decoded, re-encoded with every kind of
metadata dropped (careers/images.py) and saved under a random name with the
extension of the format found, whatever the file was called.
"""

import uuid
import warnings
from functools import wraps

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from PIL import Image, UnidentifiedImageError

from careers.images import IMAGE_FORMATS, ImageTooLarge, check_size, reencode
from careers.markdown import render
from careers.staff import is_editor


def editor_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_editor(request.user):
            return HttpResponseForbidden(
                "この操作を行う権限がありません。", content_type="text/plain; charset=utf-8"
            )
        return view(request, *args, **kwargs)

    return wrapped


@require_POST
@editor_required
def markdownify(request):
    """The preview HTML; what the renderer refuses answers 400 with its message, which
    the widget shows in the preview pane as it shows any answer."""
    try:
        return HttpResponse(render(request.POST.get("content", "")))
    except ValidationError as error:
        return HttpResponse(
            format_html("<p>プレビューできません。{}</p>", " ".join(error.messages)), status=400
        )


class ImageUploadForm(forms.Form):
    image = forms.FileField(
        error_messages={
            "required": "画像ファイルを選択してください。",
            "empty": "画像ファイルが空です。",
            "invalid": "画像ファイルを送信してください。",
        }
    )

    def clean_image(self):
        upload = self.cleaned_data["image"]
        limit = settings.MARKDOWNX_UPLOAD_MAX_SIZE
        if upload.size > limit:
            raise forms.ValidationError(
                f"画像は {filesizeformat(limit)} 以下にしてください。"
                f"（このファイルは {filesizeformat(upload.size)}）"
            )
        unsupported = forms.ValidationError(
            "PNG・JPEG・GIF・WebP の画像だけをアップロードできます（SVG は使えません）。"
        )
        if upload.content_type not in settings.MARKDOWNX_UPLOAD_CONTENT_TYPES:
            raise unsupported
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                image = Image.open(upload)
                if image.format not in IMAGE_FORMATS:
                    raise unsupported
                check_size(image)
                image.load()
        except (
            UnidentifiedImageError,
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
            OSError,
            SyntaxError,
            ValueError,
        ) as error:
            raise unsupported from error
        except ImageTooLarge as error:
            raise forms.ValidationError(
                "画像の画素数が大きすぎます（縦横の画素数、またはアニメーションのコマ数が多すぎます）。"
            ) from error
        self.image = image
        return upload

    def save(self):
        """Re-encode the image and store it under a random name; return its URL."""
        data, extension = reencode(self.image)
        name = f"{settings.MARKDOWNX_MEDIA_PATH}{uuid.uuid4().hex}.{extension}"
        name = default_storage.save(name, ContentFile(data))
        return default_storage.url(name)


@require_POST
@editor_required
def upload(request):
    form = ImageUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse(form.errors, status=400)
    return JsonResponse({"image_code": f"![]({form.save()})"})
