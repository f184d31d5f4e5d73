"""The Markdown editor's preview and upload endpoints: editors only, safe output."""

import io
import os
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import resolve, reverse
from PIL import Image

from careers import markdownx_views
from careers.markdown import render
from tests.admin.helpers import (
    MARKDOWNIFY,
    UPLOAD,
    logged_in,
)

# --- markdownx endpoints -------------------------------------------------------------


def test_markdownx_own_views_would_answer_anyone(rf):
    """Why guide/urls.py routes the widget's URLs to careers/markdownx_views.py."""
    from markdownx.views import MarkdownifyView

    request = rf.post(MARKDOWNIFY, {"content": "**x**"})
    request.user = AnonymousUser()
    assert MarkdownifyView.as_view()(request).status_code == 200
    assert resolve(MARKDOWNIFY).func is markdownx_views.markdownify
    assert resolve(UPLOAD).func is markdownx_views.upload
    assert reverse("markdownx_markdownify") == MARKDOWNIFY
    assert reverse("markdownx_upload") == UPLOAD


def test_markdownify_refuses_anonymous_and_agents(agent):
    for client in [Client(), logged_in(agent)]:
        assert client.post(MARKDOWNIFY, {"content": "**x**"}).status_code == 403
        assert client.post(UPLOAD, {"image": png_file()}).status_code == 403


def test_markdownify_gives_editors_the_sanitised_html(editor):
    response = logged_in(editor).post(
        MARKDOWNIFY, {"content": "**太字**\n\n<script>alert(1)</script>[x](javascript:alert(1))"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>太字</strong>" in html
    assert "<script" not in html and "javascript:" not in html
    assert logged_in(editor).get(MARKDOWNIFY).status_code == 405


def png_file(name="photo.png", size=(8, 8), content_type="image/png"):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_upload_stores_a_real_image_under_a_random_name(editor, media):
    response = logged_in(editor).post(UPLOAD, {"image": png_file("../../evil name.html")})

    assert response.status_code == 200
    code = response.json()["image_code"]
    match = re.fullmatch(r"!\[\]\(/media/markdownx/([0-9a-f]{32})\.png\)", code)
    assert match, code
    saved = media / "markdownx" / f"{match[1]}.png"
    assert Image.open(saved).format == "PNG"
    assert f'<img src="/media/markdownx/{match[1]}.png" alt="">' in render(code)


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("page.png", b"<html><script>alert(1)</script>", "image/png"),
        SimpleUploadedFile(
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image/svg+xml",
        ),
        SimpleUploadedFile("notes.txt", b"hello", "text/plain"),
    ],
    ids=["html-as-png", "svg", "text"],
)
def test_upload_rejects_what_is_not_a_raster_image(editor, media, upload):
    response = logged_in(editor).post(UPLOAD, {"image": upload})
    assert response.status_code == 400
    assert "PNG・JPEG・GIF・WebP" in response.json()["image"][0]
    assert not (media / "markdownx").exists()


def test_upload_rejects_an_image_over_the_size_limit(editor, media):
    big = io.BytesIO()
    Image.frombytes("RGB", (1024, 1024), os.urandom(3 * 1024 * 1024)).save(big, "PNG")
    assert big.tell() > settings.MARKDOWNX_UPLOAD_MAX_SIZE == 2 * 1024 * 1024

    response = logged_in(editor).post(
        UPLOAD, {"image": SimpleUploadedFile("big.png", big.getvalue(), "image/png")}
    )
    assert response.status_code == 400
    assert "以下にしてください" in response.json()["image"][0]
    assert not (media / "markdownx").exists()


def test_renderer_keeps_only_uploaded_images():
    assert render("![a](http://evil.example/x.png)") == "<p></p>"
    assert render("![a](/media/markdownx/../../settings.png)") == "<p></p>"
    assert "<img" not in render('<img src="data:image/png;base64,AAAA">')
