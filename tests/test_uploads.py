"""Editors' image uploads: bounded work to decode, and no metadata in the public file."""

import io
import struct

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from careers.images import (
    FRAME_INFO,
    MAX_IMAGE_FRAMES,
    MAX_IMAGE_PIXELS,
    MAX_TOTAL_PIXELS,
    ImageTooLarge,
    check_size,
    reencode,
)
from careers.markdownx_views import ImageUploadForm

UPLOAD = "/markdownx/upload/"
CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
SECRET = b"SECRET-METADATA"
# What Pillow may read from a clean file of each format: structure, not metadata.
STRUCTURAL_INFO = {"version", "jfif", "jfif_version", "jfif_unit", "jfif_density", *FRAME_INFO}


def canvas_gif(width, height, frames, *, comment=b""):
    """A GIF of `frames` one-pixel frames on a width×height canvas: a few bytes per
    frame, yet each frame decodes to the whole canvas. With a comment and an
    application extension carrying SECRET."""
    # Black and white: each frame adds a white pixel to the black canvas.
    parts = [b"GIF89a", struct.pack("<HHBBB", width, height, 0x80, 0, 0), b"\0\0\0\xff\xff\xff"]
    parts.append(b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00")  # loop forever
    parts.append(b"\x21\xff\x0bSECRETAP1.0" + bytes([len(SECRET)]) + SECRET + b"\0")
    if comment:
        parts.append(b"\x21\xfe" + bytes([len(comment)]) + comment + b"\0")
    for index in range(frames):
        parts.append(b"\x21\xf9\x04\x00\x0a\x00\x00\x00")  # 100 ms
        left, top = index % width, (index // width) % height
        parts.append(b"\x2c" + struct.pack("<HHHH", left, top, 1, 1) + b"\0\x02\x02\x4c\x01\x00")
    return b"".join([*parts, b"\x3b"])


# --- 22a. Pixels and frames are bounded before anything is decoded --------------------


@hypothesis_settings(max_examples=60, deadline=None)
@given(
    width=st.integers(1, 8000),
    height=st.integers(1, 8000),
    frames=st.integers(1, MAX_IMAGE_FRAMES + 20),
)
def test_an_image_is_refused_exactly_when_a_frame_or_all_frames_are_too_big(width, height, frames):
    image = Image.open(io.BytesIO(canvas_gif(width, height, frames)))
    too_big = (
        width * height > MAX_IMAGE_PIXELS
        or frames > MAX_IMAGE_FRAMES
        or width * height * frames > MAX_TOTAL_PIXELS
    )
    if too_big:
        with pytest.raises(ImageTooLarge):
            check_size(image)
    else:
        check_size(image)


def test_a_60_frame_5000_square_gif_is_refused_and_nothing_stored(editor, media):
    data = canvas_gif(5000, 5000, 60)
    response = logged_in(editor).post(UPLOAD, {"image": upload(data, "GIF")})
    assert response.status_code == 400
    assert "画素数が大きすぎます" in response.json()["image"][0]
    assert not (media / "markdownx").exists()


def test_an_animation_within_the_bounds_keeps_every_frame_and_its_timing(editor, media):
    response = logged_in(editor).post(UPLOAD, {"image": upload(canvas_gif(64, 48, 12), "GIF")})
    assert response.status_code == 200
    [saved] = (media / "markdownx").iterdir()
    image = Image.open(saved)
    assert (image.size, image.n_frames, image.info["duration"], image.info["loop"]) == (
        (64, 48),
        12,
        100,
        0,
    )


# --- 22b. Metadata of every kind is dropped -------------------------------------------


def _icc_profile():
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _exif():
    exif = Image.Exif()
    exif[0x010E] = SECRET.decode()  # ImageDescription
    exif[0x9286] = SECRET.decode()  # UserComment
    return exif


def image_with_metadata(image_format, kinds, animated):
    """An image file in `image_format` carrying each kind of metadata in `kinds`."""
    if image_format == "GIF":
        return canvas_gif(32, 24, 3 if animated else 1, comment=SECRET * ("comment" in kinds))
    options = {}
    if "exif" in kinds:
        options["exif"] = _exif()
    if "icc" in kinds:
        options["icc_profile"] = _icc_profile()
    if "xmp" in kinds and image_format in ("JPEG", "WEBP"):
        options["xmp"] = b"<x:xmpmeta>" + SECRET + b"</x:xmpmeta>"
    if "comment" in kinds and image_format == "JPEG":
        options["comment"] = SECRET
    if image_format == "PNG":
        text = PngInfo()
        if "comment" in kinds:
            text.add_text("Comment", SECRET.decode())
            text.add_text("Author", SECRET.decode(), zip=True)
        if "xmp" in kinds:
            text.add_itxt("XML:com.adobe.xmp", SECRET.decode())
        options["pnginfo"] = text
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(buffer, image_format, **options)
    return buffer.getvalue()


@hypothesis_settings(max_examples=60, deadline=None)
@given(
    image_format=st.sampled_from(sorted(CONTENT_TYPES)),
    kinds=st.sets(st.sampled_from(["exif", "icc", "xmp", "comment"]), min_size=1),
    animated=st.booleans(),
)
def test_no_metadata_reaches_the_public_file(image_format, kinds, animated):
    form = ImageUploadForm(
        files={"image": upload(image_with_metadata(image_format, kinds, animated), image_format)}
    )
    assert form.is_valid(), form.errors
    data, _ = reencode(form.image)
    assert SECRET not in data
    saved = Image.open(io.BytesIO(data))
    assert saved.format == image_format
    # A GIF that loops carries the one application extension that says so.
    assert saved.info.pop("extension", (b"NETSCAPE2.0",))[0] == b"NETSCAPE2.0"
    assert set(saved.info) <= STRUCTURAL_INFO, saved.info
    assert not saved.getexif()


def test_the_stored_file_of_a_commented_jpeg_has_no_comment(editor, media):
    data = image_with_metadata("JPEG", {"comment", "exif", "xmp", "icc"}, animated=False)
    assert SECRET in data
    response = logged_in(editor).post(UPLOAD, {"image": upload(data, "JPEG")})
    assert response.status_code == 200
    [saved] = (media / "markdownx").iterdir()
    assert SECRET not in saved.read_bytes()
    assert set(Image.open(saved).info) <= STRUCTURAL_INFO


# --- Helpers ----------------------------------------------------------------------------


def upload(data, image_format):
    extension = {"JPEG": "jpg"}.get(image_format, image_format.lower())
    return SimpleUploadedFile(f"upload.{extension}", data, CONTENT_TYPES[image_format])


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def editor(db):
    call_command("setup_groups", stdout=io.StringIO())
    user = User.objects.create_user("editor", password="correct-horse-battery", is_staff=True)
    user.groups.add(Group.objects.get(name="編集者"))
    return user


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client
