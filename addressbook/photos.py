"""Pure: a contact photo (uploaded, or found on an imported card) made safe to show.

Whatever comes in (PNG, GIF, WebP, a JPEG with a script in its comments, a truncated
file), what goes out is a fresh JPEG of at most PHOTO_SIZE pixels a side, so the page only
ever serves image/jpeg that Pillow itself wrote.
"""

from __future__ import annotations

import io

from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_SIZE = 256
MAX_INPUT_BYTES = 5 * 1024 * 1024
MAX_INPUT_PIXELS = 40_000_000


class PhotoUnreadable(ValueError):
    """Not an image Pillow can read, or too large."""


def safe_photo(data: bytes) -> bytes:
    """A JPEG of the image, at most PHOTO_SIZE a side. Raises PhotoUnreadable."""
    if not data or len(data) > MAX_INPUT_BYTES:
        raise PhotoUnreadable("size")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_INPUT_PIXELS:
                raise PhotoUnreadable("pixels")
            image = ImageOps.exif_transpose(image)
            image.thumbnail((PHOTO_SIZE, PHOTO_SIZE))
            if image.mode in ("RGBA", "LA", "P"):
                background = Image.new("RGB", image.size, "white")
                converted = image.convert("RGBA")
                background.paste(converted, mask=converted.getchannel("A"))
                image = background
            elif image.mode != "RGB":
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, "JPEG", quality=85)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        if isinstance(exc, PhotoUnreadable):
            raise
        raise PhotoUnreadable(type(exc).__name__) from exc
