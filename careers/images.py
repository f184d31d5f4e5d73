"""Images editors upload: bounded work to decode, and re-encoded with nothing but pixels.

An upload is decoded and written anew, so what reaches the public file is its
pixels (and, for an animation, its timing) only: no EXIF (a photo's location),
no XMP, no comments (JPEG COM, GIF comment and application extensions), no PNG
text chunks, no ICC profile (whose tags can name the device; pixels are kept as
they are and shown as sRGB, the web's default, as editors' screenshots are).
"""

from io import BytesIO

from PIL import Image, ImageOps, ImageSequence

# Pillow format → saved extension.
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
# One frame: 25 megapixels is more than any photo we show needs.
MAX_IMAGE_PIXELS = 25_000_000
# An animation: at most this many frames, and this many pixels over all of them
# (a 60-frame 5000×5000 GIF is 1.2 MB but 1.5 gigapixels to decode).
MAX_IMAGE_FRAMES = 100
MAX_TOTAL_PIXELS = 40_000_000
MAX_IMAGE_SIDE = 1600
# What a frame keeps of what Pillow read with it: how to show it, nothing about it.
FRAME_INFO = ("transparency", "duration", "disposal", "loop", "background")


class ImageTooLarge(Exception):
    """Decoding the image would take more pixels or frames than we allow."""


def check_size(image: Image.Image) -> None:
    """Raise ImageTooLarge when an opened (not yet decoded) image has a frame over
    MAX_IMAGE_PIXELS, more than MAX_IMAGE_FRAMES frames, or over MAX_TOTAL_PIXELS
    in all; reads headers only."""
    pixels = image.width * image.height
    frames = getattr(image, "n_frames", 1)
    if pixels > MAX_IMAGE_PIXELS or frames > MAX_IMAGE_FRAMES or pixels * frames > MAX_TOTAL_PIXELS:
        raise ImageTooLarge(f"{image.width}x{image.height}, {frames} frames")


def _bare(frame: Image.Image) -> Image.Image:
    """A copy of the decoded frame with only FRAME_INFO kept."""
    bare = frame.copy()
    bare.info = {key: frame.info[key] for key in FRAME_INFO if key in frame.info}
    return bare


def reencode(image: Image.Image) -> tuple[bytes, str]:
    """The image written anew in its own format, metadata dropped; (bytes, extension).

    GIF keeps every frame (resizing would redo the palette of each, so it is stored
    at its size); the other formats keep their first frame, at most MAX_IMAGE_SIDE
    pixels a side. A JPEG is turned as its EXIF orientation says before the EXIF goes.
    """
    image_format = image.format
    if image_format == "GIF":
        frames = [_bare(frame) for frame in ImageSequence.Iterator(image)]
    else:
        first = ImageOps.exif_transpose(image) if image_format == "JPEG" else image
        frames = [_bare(first)]
        frames[0].thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
        if image_format == "JPEG" and frames[0].mode not in ("RGB", "L"):
            frames[0] = frames[0].convert("RGB")
    buffer = BytesIO()
    options = {"save_all": True, "append_images": frames[1:]} if len(frames) > 1 else {}
    frames[0].save(buffer, format=image_format, **options)
    return buffer.getvalue(), IMAGE_FORMATS[image_format]
