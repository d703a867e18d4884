"""PDF: fonts give the headings, gaps the paragraphs; no text layer is a clear French error or warning."""

import io

import pytest
from importer_helpers import counts
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from quartiers.engine.importer import AnnexError, import_annex_bytes


def _image_page(c: canvas.Canvas) -> None:
    """A page holding only a drawn picture (what a scanner produces): no text layer."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    picture = Image.new("RGB", (120, 80), (200, 180, 160))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    buffer.seek(0)
    c.drawImage(ImageReader(buffer), 50, 500, width=300, height=200)
    c.showPage()


def _text_page(c: canvas.Canvas, lines: list[tuple[str, str, int]]) -> None:
    y = 800
    for font, text, size in lines:
        c.setFont(font, size)
        c.drawString(50, y, text)
        y -= size + 14
    c.showPage()


def test_pdf_without_text_layer_is_refused():
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    _image_page(c)
    _image_page(c)
    c.save()
    with pytest.raises(AnnexError) as info:
        import_annex_bytes(buffer.getvalue(), "scan.pdf")
    assert "ne contient pas de texte" in info.value.message and "OCR" in info.value.message


def test_scanned_page_among_text_pages_is_a_warning():
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    _text_page(c, [("Helvetica-Bold", "Quartier prioritaire « Les Grésillons »", 16),
                   ("Helvetica-Bold", "Éducation", 13),
                   ("Helvetica", "- Soutenir l'aide aux devoirs hors temps scolaire.", 10),
                   ("Helvetica", "- Ouvrir une ludothèque.", 10)])
    _image_page(c)
    c.save()
    result = import_annex_bytes(buffer.getvalue(), "annexe.pdf")
    fw = result.framework
    assert counts(fw) == (1, 1, 2)
    assert fw.themes[0].title == "Éducation"
    assert [c.tag for c in fw.objectives[0].constraints] == ["out_of_school_time"]
    (warning,) = fw.warnings
    assert warning.kind == "no_text_layer" and "page 2" in warning.message


def test_corrupt_pdf_is_a_french_error():
    with pytest.raises(AnnexError) as info:
        import_annex_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20, "annexe.pdf")
    assert "PDF" in info.value.message


def test_pdf_signature_in_a_truncated_file():
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    _text_page(c, [("Helvetica", "QPV Les Pins", 12)])
    c.save()
    with pytest.raises(AnnexError):
        import_annex_bytes(buffer.getvalue()[:300], "annexe.pdf")


def test_running_headers_and_footers_are_dropped():
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    bullets = [f"- Objectif numéro {n} du quartier, avec une action de proximité." for n in range(1, 13)]
    pages = [
        [("Helvetica-Bold", "Quartier prioritaire « Les Grésillons »", 16), ("Helvetica-Bold", "Éducation", 13)],
        [("Helvetica-Bold", "Sport", 13)],
        [("Helvetica-Bold", "Culture", 13)],
    ]
    for number, head in enumerate(pages, 1):
        lines = [("Helvetica", "Contrat de ville de Gennevilliers – Annexe 2", 9), *head,
                 *[("Helvetica", b, 10) for b in bullets[(number - 1) * 4: number * 4]],
                 ("Helvetica", f"Page {number} sur 3", 9)]
        _text_page(c, lines)
    c.save()
    result = import_annex_bytes(buffer.getvalue(), "annexe.pdf")
    fw = result.framework
    assert counts(fw) == (1, 3, 12)
    assert not any("Gennevilliers" in line for line in result.lines)
    assert fw.warnings == ()
