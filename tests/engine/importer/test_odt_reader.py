"""OpenDocument text: text:h headings with their outline level, nested text:list items as sub-bullets."""

import pytest
from importer_helpers import counts
from odf.opendocument import OpenDocumentSpreadsheet, OpenDocumentText
from odf.style import Style, TextProperties
from odf.text import H, List, ListItem, P

from quartiers.engine.importer import AnnexError, import_annex_bytes, import_annex_path


def test_headings_nested_lists_and_bold_paragraphs(tmp_path):
    document = OpenDocumentText()
    bold = Style(name="Gras", family="paragraph")
    bold.addElement(TextProperties(fontweight="bold"))
    document.automaticstyles.addElement(bold)
    document.text.addElement(H(outlinelevel=1, text="Quartier prioritaire « Les Aubiers » (Commune de Bordeaux)"))
    document.text.addElement(P(stylename=bold, text="Lien social"))
    top = List()
    item = ListItem()
    item.addElement(P(text="Rompre l'isolement des personnes âgées"))
    nested = List()
    for text in ("visites à domicile", "repas partagés"):
        sub = ListItem()
        sub.addElement(P(text=text))
        nested.addElement(sub)
    item.addElement(nested)
    top.addElement(item)
    second = ListItem()
    second.addElement(P(text="Aller vers les familles nouvellement arrivées."))
    top.addElement(second)
    document.text.addElement(top)
    path = tmp_path / "annexe.odt"
    document.save(str(path))

    fw = import_annex_path(path).framework
    assert counts(fw) == (1, 1, 2)
    (aubiers,) = fw.neighbourhoods
    assert (aubiers.name, aubiers.commune) == ("Les Aubiers", "Bordeaux")
    first, second_objective = aubiers.themes[0].objectives
    assert first.label == "Rompre l'isolement des personnes âgées"
    assert first.action_types == ("visites à domicile", "repas partagés")
    assert [c.tag for c in second_objective.constraints] == ["outreach"]


def test_corrupt_odt_is_a_french_error():
    with pytest.raises(AnnexError) as info:
        import_annex_bytes(b"PK\x03\x04" + b"\x00garbage" * 50, "annexe.odt")
    assert "OpenDocument" in info.value.message


def test_spreadsheet_named_odt_is_refused(tmp_path):
    path = tmp_path / "tableur.odt"
    OpenDocumentSpreadsheet().save(str(path))
    with pytest.raises(AnnexError) as info:
        import_annex_path(path)
    assert "n'est pas un document texte" in info.value.message
