"""Entry points: bad input gives an AnnexError with a French message, never another exception nor half a result."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from importer_helpers import SEED

from quartiers.engine.importer import (
    ACCEPTED_EXTENSIONS,
    MAX_ANNEX_BYTES,
    AnnexError,
    ImportResult,
    api,
    import_annex_bytes,
    import_annex_path,
)
from quartiers.engine.importer.document import DocLine
from quartiers.engine.importer.parser import parse


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (b"", "a.txt", "Le fichier est vide."),
        (b"   \n\t\r\n  \n", "a.txt", "Le fichier ne contient que des espaces ou des lignes vides."),
        (b"", "a.docx", "Le fichier est vide."),
    ],
)
def test_empty_files(data, filename, expected):
    with pytest.raises(AnnexError) as info:
        import_annex_bytes(data, filename)
    assert info.value.message == expected == str(info.value)


def test_unknown_extension_lists_the_accepted_ones():
    with pytest.raises(AnnexError) as info:
        import_annex_bytes(b"du texte", "annexe.xlsx")
    message = info.value.message
    assert "« .xlsx »" in message
    assert all(ext in message for ext in ACCEPTED_EXTENSIONS)
    with pytest.raises(AnnexError, match="sans extension"):
        import_annex_bytes(b"du texte", "annexe")


def test_extension_is_case_insensitive(seed_bytes):
    assert import_annex_bytes(seed_bytes, "ANNEXE.TXT").format == "txt"


def test_too_big_is_refused_before_parsing(monkeypatch):
    def explode(data: bytes):
        raise AssertionError("parsed")

    monkeypatch.setitem(api.READERS, "txt", explode)
    with pytest.raises(AnnexError) as info:
        import_annex_bytes(b"x" * (MAX_ANNEX_BYTES + 1), "a.txt")
    assert "trop volumineux" in info.value.message and "50 Mo" in info.value.message


def test_too_big_path_is_refused_by_size_without_reading(tmp_path, monkeypatch):
    path = tmp_path / "grosse.txt"
    with open(path, "wb") as handle:
        handle.truncate(MAX_ANNEX_BYTES + 1)  # a sparse file: nothing is written
    monkeypatch.setattr(type(path), "read_bytes", lambda self: pytest.fail("read"))
    with pytest.raises(AnnexError, match="trop volumineux"):
        import_annex_path(path)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(AnnexError, match="introuvable"):
        import_annex_path(tmp_path / "absente.txt")
    folder = tmp_path / "dossier.txt"
    folder.mkdir()
    with pytest.raises(AnnexError):
        import_annex_path(folder)


def test_text_without_structure_is_an_error():
    with pytest.raises(AnnexError) as info:
        import_annex_bytes(b"Bonjour,\n\nvoici notre annexe.\n", "a.txt")
    assert "Aucun objectif" in info.value.message


def test_a_bug_in_a_reader_becomes_an_annex_error(monkeypatch):
    def broken(data: bytes):
        raise ZeroDivisionError

    monkeypatch.setitem(api.READERS, "txt", broken)
    with pytest.raises(AnnexError, match="n'a pas pu être analysé"):
        import_annex_bytes(b"du texte", "a.txt")


def test_import_annex_path(seed_bytes):
    result = import_annex_path(SEED)
    assert isinstance(result, ImportResult)
    assert result == import_annex_bytes(seed_bytes, SEED.name)
    assert result.framework.source_name == SEED.name


def _outcome(data: bytes, filename: str) -> None:
    try:
        result = import_annex_bytes(data, filename)
    except AnnexError as exc:
        assert exc.message and str(exc) == exc.message
        return
    assert isinstance(result, ImportResult)
    assert result.framework.objectives
    for objective in result.framework.objectives:
        assert objective.lines is not None and objective.lines.last <= len(result.lines)


FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=2000))
def test_fuzz_arbitrary_bytes(data):
    _outcome(data, "annexe.txt")


@FUZZ
@given(st.binary(max_size=600), st.sampled_from(["a.docx", "a.pdf", "a.odt", "a.md"]))
def test_fuzz_arbitrary_bytes_in_office_formats(data, filename):
    _outcome(data, filename)


_LINE = st.one_of(
    st.text(max_size=80),
    st.sampled_from(["", "  ", "- ", "• ", "Quartier prioritaire « X »", "QPV Les Pins", "Axe 1 : Emploi", "I.",
                     "1) Santé", "# Titre", "## QPV Y", "### Culture", "**Sport**", "Culture", "::", "  o sous-puce",
                     "Les actions doivent être menées en soirée.", "- Favoriser : a, b ; c (d, e)", "Objectifs :",
                     "Orientation 1.2 – Agir", "1.", "(", ")", "«", ":", "- ", "*", "a)", "Commune de", "Quartier"]),
    st.builds(lambda s: "- " + s, st.text(max_size=60)),
)


@FUZZ
@given(st.lists(_LINE, max_size=40))
def test_fuzz_structured_text(lines):
    _outcome("\n".join(lines).encode("utf-8"), "annexe.txt")


@FUZZ
@given(st.text(max_size=1500))
def test_fuzz_arbitrary_text(text):
    _outcome(text.encode("utf-8", "surrogatepass"), "annexe.md")


_DOC_LINE = st.builds(
    DocLine,
    text=_LINE,
    heading=st.integers(0, 7),
    bullet=st.booleans(),
    numbered=st.booleans(),
    level=st.integers(0, 5),
    bold=st.booleans(),
    joined=st.booleans(),
)


@FUZZ
@given(st.lists(_DOC_LINE, max_size=40))
def test_fuzz_parser_with_any_reader_hints(lines):
    try:
        framework = parse(lines)
    except AnnexError as exc:
        assert exc.message
        return
    for objective in framework.objectives:
        assert objective.text and objective.lines is not None and objective.lines.last <= len(lines)


def test_content_wins_over_a_wrong_extension(gold, tmp_path):
    from importer_helpers import build_docx, seed_paragraphs

    data = build_docx(seed_paragraphs(gold), tmp_path / "annexe.docx").read_bytes()
    result = import_annex_bytes(data, "annexe.pdf")
    assert result.format == "docx"
    assert len(result.framework.objectives) == 62
    assert result.framework.warnings[0].kind == "structure"
    assert "document Word" in result.framework.warnings[0].message


def test_old_word_documents_get_a_hint():
    with pytest.raises(AnnexError) as info:
        import_annex_bytes(b"\xd0\xcf\x11\xe0", "annexe.doc")
    assert "au format .docx" in info.value.message
