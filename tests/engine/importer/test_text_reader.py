"""Text files: UTF-8 (with or without BOM), UTF-16, Windows-1252 and latin-1 are told apart, not guessed wrong."""

import codecs

import pytest
from importer_helpers import FIXTURES, counts

from quartiers.engine.importer import AnnexError, import_annex_bytes
from quartiers.engine.importer.text_reader import decode, read_text

FRENCH = "Quartier prioritaire « Cœur de ville »\n\nÉducation\n\n– Favoriser l’accès à l’école maternelle dès 2 ans.\n"


def test_utf8():
    assert decode(FRENCH.encode("utf-8")) == (FRENCH, "utf-8")


def test_utf8_with_bom():
    result = import_annex_bytes(codecs.BOM_UTF8 + FRENCH.encode("utf-8"), "a.txt")
    assert result.encoding == "utf-8-sig"
    assert result.lines[0] == "Quartier prioritaire « Cœur de ville »"
    assert result.framework.warnings == ()


def test_utf16_with_bom():
    text, encoding = decode(FRENCH.encode("utf-16"))
    assert (text, encoding) == (FRENCH, "utf-16")


def test_cp1252_curly_quotes_dashes_and_oe():
    data = FRENCH.encode("cp1252")
    result = import_annex_bytes(data, "a.txt")
    assert result.encoding == "cp1252"
    fw = result.framework
    assert fw.neighbourhoods[0].name == "Cœur de ville"
    assert fw.objectives[0].text == "Favoriser l’accès à l’école maternelle dès 2 ans."
    assert [w.kind for w in fw.warnings] == ["encoding"]
    assert "Windows-1252" in fw.warnings[0].message


def test_latin1_when_bytes_are_undefined_in_cp1252():
    # 0x81 is undefined in Windows-1252: the file can only be latin-1 (or something else entirely)
    data = "QPV Les Érables\n\nSanté\n\n- Créer un café santé.\n".encode("latin-1") + b"\x81\n"
    text, encoding = decode(data)
    assert text.startswith("QPV Les Érables")
    assert encoding in {"latin-1", "iso-8859-1", "latin_1", "cp1250", "cp1252"} or "8859" in encoding


def test_seed_reencoded_in_cp1252_gives_the_same_framework(seed_bytes):
    utf8 = import_annex_bytes(seed_bytes, "a.txt").framework
    cp1252 = import_annex_bytes(seed_bytes.decode("utf-8").encode("cp1252"), "a.txt")
    assert cp1252.encoding == "cp1252"
    assert cp1252.framework.neighbourhoods == utf8.neighbourhoods


def test_crlf_and_cr_line_endings(seed_bytes):
    crlf = import_annex_bytes(seed_bytes.replace(b"\n", b"\r\n"), "a.txt")
    assert counts(crlf.framework) == (4, 22, 62)
    assert len(crlf.lines) == 157
    cr = import_annex_bytes(seed_bytes.replace(b"\n", b"\r"), "a.txt")
    assert counts(cr.framework) == (4, 22, 62)


def test_binary_junk_is_refused():
    with pytest.raises(AnnexError) as info:
        read_text(bytes(range(256)) * 40)
    assert "ne ressemble pas à un texte" in info.value.message


def test_markdown_fixture_is_read_as_markdown():
    result = import_annex_bytes((FIXTURES / "contrat_markdown.md").read_bytes(), "annexe.md")
    assert result.format == "md" and result.encoding == "utf-8"


def test_invalid_bytes_after_a_utf8_bom_name_the_line():
    data = codecs.BOM_UTF8 + b"QPV Les Pins\n\nSport\n" + b"- Ouvrir le stade \xff\n"
    with pytest.raises(AnnexError) as info:
        import_annex_bytes(data, "a.txt")
    assert info.value.line == 4
    assert "ligne 4" in info.value.message and "UTF-8" in info.value.message
