"""What an upload may bring in: kinds sniffed from content, images re-encoded to pixels only,
scriptable files refused, names made safe; and any bytes at all give an answer, never a traceback."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image

from postmortem.evidence import Accepted, AttachmentRefused, MediaType, accept, digest_of, room_for
from postmortem.evidence.limits import MAX_FILE_BYTES, MAX_FILES_PER_DOCUMENT, MAX_IMAGE_SIDE, MAX_NAME_CHARS
from postmortem.evidence.names import safe_name
from tests import evidence_samples as samples


def _read(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_a_jpeg_with_gps_exif_comes_out_without_any_metadata():
    original = samples.jpeg_with_gps()
    assert _read(original).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the sample really carries GPS
    kept = accept(original, "IMG_0042.JPG")
    image = _read(kept.data)
    assert kept.media_type is MediaType.JPEG and kept.name == "IMG_0042.jpg"
    assert not image.getexif() and not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert "exif" not in image.info and "comment" not in image.info
    assert b"Exif" not in kept.data and b"PhoneCo" not in kept.data and b"shot at home" not in kept.data


def test_a_sideways_photo_is_turned_upright_before_its_exif_goes():
    kept = accept(samples.jpeg_with_gps(size=(40, 20), orientation=6), "phone.jpg")
    assert (kept.width, kept.height) == (20, 40) == _read(kept.data).size


def test_png_text_chunks_and_colour_profiles_are_dropped():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "someone@example.com")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>secret</x:xmpmeta>")
    kept = accept(samples.png(pnginfo=info, icc_profile=b"\x00" * 128), "graph.png")
    image = _read(kept.data)
    assert not {"Author", "XML:com.adobe.xmp", "icc_profile"} & set(image.info)
    assert b"someone@example.com" not in kept.data and b"secret" not in kept.data


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
@pytest.mark.parametrize(
    "size, expected",
    [
        ((40, 30), (40, 30)),
        ((MAX_IMAGE_SIDE * 2, 400), (MAX_IMAGE_SIDE, 200)),
        ((300, MAX_IMAGE_SIDE + 8), (299, MAX_IMAGE_SIDE)),
    ],
)
def test_images_are_bounded_in_size(size, expected, fmt):
    out = io.BytesIO()
    Image.new("L", size, 128).save(out, fmt)
    kept = accept(out.getvalue(), "wide.png")
    assert (kept.width, kept.height) == expected == _read(kept.data).size
    assert ("Scaled down" in " ".join(kept.notes)) is (size != expected)


@pytest.mark.parametrize("width, height", [(8_000, 8_000), (100_000, 100_000), (2**31 - 1, 2)])
def test_a_decompression_bomb_is_refused_before_decoding(width, height):
    with pytest.raises(AttachmentRefused, match="million pixels"):
        accept(samples.png_claiming(width, height), "bomb.png")


def test_an_animated_gif_keeps_its_first_frame_as_a_png():
    kept = accept(samples.animated_gif(), "spinner.gif")
    assert kept.media_type is MediaType.PNG and kept.name == "spinner.png"
    assert getattr(_read(kept.data), "n_frames", 1) == 1
    assert "first frame" in kept.notes[0]


@pytest.mark.parametrize(
    "kind, fmt", [(MediaType.WEBP, "WEBP"), (MediaType.GIF, "GIF"), (MediaType.PNG, "PNG")]
)
def test_each_image_kind_is_recognised_from_its_bytes_whatever_its_name(kind, fmt):
    out = io.BytesIO()
    Image.new("RGB", (12, 8), "red").save(out, fmt)
    kept = accept(out.getvalue(), "screenshot.pdf")
    assert kept.media_type is (MediaType.PNG if kind is MediaType.GIF else kind)
    assert kept.name.startswith("screenshot") and not kept.name.endswith(".pdf")
    assert kept.digest == digest_of(kept.data) and kept.is_image


SCRIPTABLE = [
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    b'<?xml version="1.0"?><svg><script>alert(1)</script></svg>',
    b"<!DOCTYPE html><html><script>alert(1)</script></html>",
    b"\n\t  <html><body onload=alert(1)>",
    b"\xef\xbb\xbf<script>alert(1)</script>",
    "<svg onload=alert(1)>".encode("utf-16"),
    b"<iframe src=javascript:alert(1)>",
    b"<!-- comment --><p>hi</p>",
]


@pytest.mark.parametrize("payload", SCRIPTABLE)
@pytest.mark.parametrize("name", ["graph.png", "log.txt", "image.svg"])
def test_svg_and_html_are_refused_under_any_name(payload, name):
    with pytest.raises(AttachmentRefused, match="HTML, SVG and XML"):
        accept(payload, name)


def test_a_png_with_a_script_or_zip_appended_keeps_only_the_pixels():
    polyglot = samples.png() + b"<script>alert(1)</script>PK\x03\x04" + b"\x00" * 30
    kept = accept(polyglot, "polyglot.png")
    assert b"<script>" not in kept.data and b"PK\x03\x04" not in kept.data
    assert _read(kept.data).size == (40, 30)


@pytest.mark.parametrize(
    "payload",
    [
        b"GIF89a/*<script>alert(1)</script>*/",  # a GIF header in front of a script
        b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script>",
        b"\xff\xd8\xff<svg onload=alert(1)>",
    ],
)
def test_an_image_header_in_front_of_something_else_is_refused(payload):
    with pytest.raises(AttachmentRefused, match="not a readable one"):
        accept(payload, "trick.gif")


@pytest.mark.parametrize(
    "payload, what",
    [
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)), "ZIP"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(300), "Windows program"),
        (b"\x7fELF\x02\x01\x01" + bytes(300), "a program"),
    ],
)
def test_other_binary_files_are_refused_by_name_of_what_they_are(payload, what):
    with pytest.raises(AttachmentRefused, match=what):
        accept(payload, "notes.txt")


def test_a_pdf_is_kept_byte_for_byte():
    original = samples.pdf()
    kept = accept(original, "runbook.PDF")
    assert (kept.data, kept.media_type, kept.name) == (original, MediaType.PDF, "runbook.pdf")


@pytest.mark.parametrize(
    "pdf, message",
    [
        (samples.pdf(b"/AA << /O << /S /JavaScript /JS (app.alert(1)) >> >> "), "scripts"),
        (samples.pdf(b"/OpenAction << /S /Launch /F (cmd.exe) >> "), "launch"),
        (samples.pdf()[:-7], "cut short"),
    ],
)
def test_a_pdf_with_active_content_or_cut_short_is_refused(pdf, message):
    with pytest.raises(AttachmentRefused, match=message):
        accept(pdf, "report.pdf")


@pytest.mark.parametrize(
    "data, kind, text, note",
    [
        (b"2026-03-04T10:15Z ERROR pool exhausted\n", MediaType.TEXT, "pool exhausted", ""),
        (b"time,p99_ms\n10:15,120\n10:16,4800\n", MediaType.CSV, "4800", ""),
        (b"\xef\xbb\xbftime;p99\n1;2\n3;4\n", MediaType.CSV, "time;p99", ""),
        ("caf\u00e9 d\u00e9j\u00e0 vu\n".encode("cp1252"), MediaType.TEXT, "café déjà vu", "Windows-1252"),
        ("na\u00efve\n".encode("utf-16"), MediaType.TEXT, "naïve", ""),
        (b"\x1b[31mERROR\x1b[0m disk full \x1b]0;title\x07\n", MediaType.TEXT, "ERROR disk full", "colour"),
    ],
)
def test_logs_and_csv_are_kept_as_utf8_text(data, kind, text, note):
    kept = accept(data, "../../var/log/app.log")
    assert kept.media_type is kind and kept.name == f"app{'.csv' if kind is MediaType.CSV else '.txt'}"
    decoded = kept.data.decode("utf-8")
    assert text in decoded and "\x1b" not in decoded and "\ufeff" not in decoded
    assert note in " ".join(kept.notes)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"a" * (MAX_FILE_BYTES + 1), "limit is 20 MB per file"),
        (bytes(range(32)) * 50, "not a text file"),
    ],
)
def test_empty_oversized_and_binary_files_are_refused(data, message):
    with pytest.raises(AttachmentRefused, match=message):
        accept(data, "x.txt")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("../../etc/passwd", "passwd.txt"),
        ("..\\..\\Windows\\win.ini", "win.ini.txt"),
        ("C:\\Users\\me\\Desktop\\graph.png", "graph.txt"),
        ("graph\x00.png", "graph.txt"),
        ("invoice\u202egpj.exe", "invoicegpj.exe.txt"),
        ("zero\u200bwidth\u2066name.log", "zerowidthname.txt"),
        ("line\r\nbreak.txt", "linebreak.txt"),
        ("CON.txt", "_CON.txt"),
        ("lpt1", "_lpt1.txt"),
        ('a<b>c:d|e?f*g".txt', "a_b_c_d_e_f_g_.txt"),
        ("...", "attachment.txt"),
        ("", "attachment.txt"),
        (".bashrc", "bashrc.txt"),
        ("  spaced   out  .txt", "spaced out.txt"),
        ("e\u0301t\u00e9.txt", "\u00e9t\u00e9.txt"),  # one normal form, so equal names compare equal
    ],
)
def test_file_names_are_sanitised(raw, expected):
    assert safe_name(raw, MediaType.TEXT) == expected


def test_a_long_name_is_cut_keeping_its_extension():
    name = safe_name("x" * 1000 + ".png", MediaType.PNG)
    assert len(name) == MAX_NAME_CHARS and name.endswith("x.png")


def _accepted(size: int) -> Accepted:
    return (
        Accepted(b"x", digest_of(b"x"), MediaType.TEXT, "a.txt", notes=())
        if size == 1
        else Accepted(b"x" * size, digest_of(b"x" * size), MediaType.TEXT, "a.txt")
    )


def test_the_per_document_limits_refuse_with_the_total():
    room_for(0, 0, [_accepted(10)])
    with pytest.raises(AttachmentRefused, match="limit is 200 MB"):
        room_for(200 * 1024 * 1024 - 5, 1, [_accepted(10)])
    with pytest.raises(AttachmentRefused, match=f"up to {MAX_FILES_PER_DOCUMENT}"):
        room_for(0, MAX_FILES_PER_DOCUMENT, [_accepted(1)])


MAGIC = st.sampled_from(
    [
        b"",
        b"\x89PNG\r\n\x1a\n",
        b"\xff\xd8\xff",
        b"GIF89a",
        b"RIFF\x00\x00\x00\x00WEBP",
        b"%PDF-",
        b"<svg",
        b"\xef\xbb\xbf",
        b"\xff\xfe",
        b"PK\x03\x04",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=MAGIC, body=st.binary(max_size=2048), name=st.text(max_size=300))
def test_any_bytes_and_any_name_give_a_kept_file_or_a_reason(prefix, body, name):
    try:
        kept = accept(prefix + body, name)
    except AttachmentRefused as refused:
        assert str(refused)
        return
    assert kept.digest == digest_of(kept.data) and kept.size > 0
    assert 1 <= len(kept.name) <= MAX_NAME_CHARS and "/" not in kept.name and "\\" not in kept.name
    assert all(c.isprintable() for c in kept.name)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_a_damaged_real_image_gives_a_kept_file_or_a_reason(data):
    original = bytearray(samples.jpeg_with_gps() if data.draw(st.booleans()) else samples.animated_gif())
    for _ in range(data.draw(st.integers(1, 8))):
        original[data.draw(st.integers(0, len(original) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(original)))
    try:
        kept = accept(bytes(original[:cut]), "damaged.jpg")
    except AttachmentRefused:
        return
    assert not kept.is_image or _read(kept.data).size == (kept.width, kept.height)


@pytest.mark.parametrize(
    "mode, fmt, kept_mode",
    [
        ("CMYK", "JPEG", "RGB"),
        ("L", "JPEG", "L"),
        ("LA", "PNG", "LA"),
        ("RGBA", "PNG", "RGBA"),
        ("I;16", "PNG", "L"),
        ("RGBA", "WEBP", "RGBA"),
        ("1", "PNG", "RGB"),
    ],
)
def test_every_colour_mode_comes_out_in_one_an_export_can_embed(mode, fmt, kept_mode):
    out = io.BytesIO()
    Image.new(mode, (8, 6)).save(out, fmt)
    assert _read(accept(out.getvalue(), "x").data).mode == kept_mode


def test_a_palette_image_keeps_its_transparency():
    out = io.BytesIO()
    Image.new("P", (8, 6)).save(out, "PNG", transparency=0)
    assert _read(accept(out.getvalue(), "x.png").data).mode == "RGBA"


def test_sixteen_bit_grey_is_scaled_not_clipped():
    out = io.BytesIO()
    Image.new("I;16", (4, 4), 40_000).save(out, "PNG")
    assert _read(accept(out.getvalue(), "x.png").data).getpixel((0, 0)) == 40_000 // 256
