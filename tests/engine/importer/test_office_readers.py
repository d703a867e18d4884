"""The seed converted to .docx (heading styles, list numbering), .pdf (reportlab) and .odt (odfpy) gives the same
structure as the text file."""

import pytest
from importer_helpers import build_docx, build_odt, build_pdf, counts, gold_structure, seed_paragraphs, structure

from quartiers.engine.importer import import_annex_path

BUILDERS = {"docx": build_docx, "pdf": build_pdf, "odt": build_odt}


@pytest.mark.parametrize("fmt", sorted(BUILDERS))
def test_seed_in_every_format_gives_the_gold_structure(fmt, gold, tmp_path):
    path = BUILDERS[fmt](seed_paragraphs(gold), tmp_path / f"annexe.{fmt}")
    result = import_annex_path(path)
    assert result.format == fmt
    assert counts(result.framework) == (4, 22, 62)
    assert structure(result.framework) == gold_structure(gold)
    education = result.framework.neighbourhoods[0].themes[0]
    assert [c.tag for c in education.constraints] == ["out_of_school_time"]
    kinds = [w.kind for w in result.framework.warnings]
    assert kinds.count("damaged_fragment") == 1 and kinds.count("damaged_text") == 1
    # source lines point into the extracted text
    for objective in result.framework.objectives:
        cited = " ".join(result.lines[objective.lines.first - 1: objective.lines.last])
        assert objective.text.split()[1] in cited
