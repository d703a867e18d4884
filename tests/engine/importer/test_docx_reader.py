"""Word documents: structure comes from styles, list numbering and bold, not only from the text."""

import docx
import pytest
from docx.shared import Pt
from importer_helpers import _docx_numbering, counts, docx_set_numbering

from quartiers.engine.importer import AnnexError, import_annex_bytes, import_annex_path
from quartiers.engine.importer.docx_reader import read_docx


def test_bold_paragraphs_and_numbered_lists(tmp_path):
    document = docx.Document()
    decimal = _docx_numbering(document, "decimal")
    bullets = _docx_numbering(document, "bullet")
    document.add_paragraph("Annexe 2 – Projets de quartiers")
    document.add_paragraph().add_run("Quartier prioritaire : La Roseraie (Commune de Vierzon)").bold = True
    # a numbered, bold, short paragraph: a theme (Word numbers it « 1. », the text has no number)
    theme = document.add_paragraph()
    theme.add_run("Emploi et insertion").bold = True
    docx_set_numbering(theme, decimal)
    for text in ("Accompagner les femmes éloignées de l'emploi : ateliers, garde d'enfants.",
                 "Développer les clauses d'insertion dans les chantiers du quartier."):
        docx_set_numbering(document.add_paragraph(text, style="List Paragraph"), bullets)
    sub = document.add_paragraph("chantiers de rénovation de l'école", style="List Paragraph")
    docx_set_numbering(sub, bullets, level=1)
    document.add_paragraph().add_run("Santé").bold = True
    document.add_paragraph("Créer une maison de santé pluriprofessionnelle au cœur du quartier.", style="List Bullet")
    path = tmp_path / "annexe.docx"
    document.save(str(path))

    read = read_docx(path.read_bytes())
    assert [(line.bullet, line.level) for line in read.lines[3:6]] == [(True, 0), (True, 0), (True, 1)]
    assert read.lines[1].bold and read.lines[2].numbered

    fw = import_annex_path(path).framework
    assert counts(fw) == (1, 2, 3)
    (roseraie,) = fw.neighbourhoods
    assert (roseraie.name, roseraie.commune) == ("La Roseraie", "Vierzon")
    emploi, sante = roseraie.themes
    assert (emploi.title, emploi.canonical_theme) == ("Emploi et insertion", "employment")
    assert emploi.objectives[1].action_types == ("chantiers de rénovation de l'école",)
    assert emploi.objectives[1].lines.as_list() == [5, 6]
    assert [c.tag for c in sante.objectives[0].constraints] == ["at_doorstep"]


def test_heading_styles_and_tables(tmp_path):
    document = docx.Document()
    document.add_heading("Contrat de ville de Dreux", level=0)
    document.add_heading("QPV Les Chamards", level=1)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Thème"
    table.cell(0, 1).text = "Objectifs"
    table.cell(1, 0).paragraphs[0].add_run("Culture").bold = True
    table.cell(1, 1).text = "- Ouvrir la médiathèque le samedi.\n"
    table.cell(1, 1).add_paragraph("- Soutenir les ateliers d'écriture des collégiens.")
    heading = document.add_heading("Sport", level=2)
    heading.runs[0].font.size = Pt(14)
    document.add_paragraph("Développer le sport santé pour les seniors.")
    path = tmp_path / "a.docx"
    document.save(str(path))
    fw = import_annex_path(path).framework
    assert fw.title == "Contrat de ville de Dreux"
    assert [(t.title, len(t.objectives)) for t in fw.themes] == [("Culture", 2), ("Sport", 1)]


def test_corrupt_docx_is_a_french_error(tmp_path):
    with pytest.raises(AnnexError) as info:
        import_annex_bytes(b"PK\x03\x04 ceci n'est pas un zip valide" * 10, "annexe.docx")
    assert "Word" in info.value.message and "endommagé" in info.value.message


def test_docx_of_another_kind_of_zip_is_refused(tmp_path):
    import zipfile

    path = tmp_path / "faux.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("bonjour.txt", "rien à voir")
    with pytest.raises(AnnexError):
        import_annex_path(path)


def test_empty_docx_is_refused(tmp_path):
    path = tmp_path / "vide.docx"
    docx.Document().save(str(path))
    with pytest.raises(AnnexError) as info:
        import_annex_path(path)
    assert "aucun texte" in info.value.message
