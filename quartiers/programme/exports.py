"""The programme table as files: XLSX (openpyxl), ODS (odfpy) and CSV, with French headers and number formats.

The web page and ``quartiers export-programme`` call ``programme_file``, so both give the same bytes: the
timestamps a spreadsheet library writes (document properties, dates of the zip entries) are fixed to the call's
last change, not to the instant of the export.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape as xml_escape

from quartiers.common.formats import euros, safe_text
from quartiers.programme.selectors import Programme, ProgrammeRow, Totals

FORMATS = ("xlsx", "ods", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "csv": "text/csv; charset=utf-8",
}

TEXT, AMOUNT, DATE, INTEGER = "text", "amount", "date", "integer"


@dataclass(frozen=True)
class Column:
    header: str
    kind: str
    width: int  # in characters
    value: Callable[[ProgrammeRow], object]


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("oui" if value else "non")


COLUMNS: list[Column] = [
    Column("Numéro de dossier", TEXT, 16, lambda r: r.reference),
    Column("Structure", TEXT, 34, lambda r: r.organisation),
    Column("SIRET", TEXT, 16, lambda r: r.siret),
    Column("RNA", TEXT, 12, lambda r: r.rna),
    Column("Action", TEXT, 40, lambda r: r.title),
    Column("Quartiers (codes QPV)", TEXT, 20, lambda r: r.neighbourhoods),
    Column("Thème", TEXT, 28, lambda r: r.theme),
    Column("Objectif confirmé", TEXT, 40, lambda r: r.objective),
    Column("Nouvelle ou renouvellement", TEXT, 16, lambda r: r.kind),
    Column("Budget total de l'action", AMOUNT, 16, lambda r: r.total_budget),
    Column("Financeur", TEXT, 30, lambda r: r.funder_name),
    Column("SIRET du financeur", TEXT, 16, lambda r: r.funder_siret),
    Column("Montant demandé", AMOUNT, 15, lambda r: r.requested),
    Column("Montant proposé", AMOUNT, 15, lambda r: r.proposed),
    Column("Avis", TEXT, 22, lambda r: r.opinion),
    Column("Montant accordé", AMOUNT, 15, lambda r: r.granted),
    Column("Date de la décision", DATE, 12, lambda r: r.decided_on),
    Column("Convention nécessaire (plus de 23 000 €)", TEXT, 14, lambda r: _yes_no(r.convention)),
    Column("Bénéficiaires", INTEGER, 12, lambda r: r.beneficiaries),
    Column("dont habitants des QPV", INTEGER, 12, lambda r: r.beneficiaries_qpv),
    Column("Statut", TEXT, 18, lambda r: r.status_label),
]
HEADERS = [c.header for c in COLUMNS]
TOTAL_FIELDS = {"Montant demandé": "requested", "Montant proposé": "proposed", "Montant accordé": "granted"}


def total_cells(totals: Totals) -> list:
    """The cells of a totals line: its label in the first column, the sums under the amount columns."""
    cells: list = []
    for i, column in enumerate(COLUMNS):
        if i == 0:
            cells.append(totals.label)
        elif column.header in TOTAL_FIELDS:
            cells.append(getattr(totals, TOTAL_FIELDS[column.header]))
        else:
            cells.append(None)
    return cells


def table(programme: Programme) -> tuple[list[list], list[list]]:
    """(data lines, totals lines) as Python values: the overall total, then one per funder when there are several."""
    data = [[_clean(c.value(row)) for c in COLUMNS] for row in programme.rows]
    totals = [total_cells(programme.total)]
    if len(programme.per_funder) > 1:
        totals += [total_cells(t) for _f, t in programme.per_funder]
    return data, totals


CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _clean(value):
    """Text without the control characters XML (hence XLSX and ODS) cannot hold, typed in by mistake."""
    return CONTROL_CHARACTERS.sub(" ", value) if isinstance(value, str) else value


def filename(programme: Programme, fmt: str, suffix: str = "") -> str:
    return f"programmation-{programme.call.slug}{suffix}.{fmt}"


def programme_file(programme: Programme, fmt: str) -> bytes:
    if fmt == "xlsx":
        return to_xlsx(programme)
    if fmt == "ods":
        return to_ods(programme)
    if fmt == "csv":
        return to_csv(programme)
    raise ValueError(f"unknown format {fmt!r}")


def _stamp(programme: Programme) -> datetime:
    """The fixed instant written in the files: the call's last change (naive UTC, as both libraries expect)."""
    moment = programme.call.updated_at or datetime(2000, 1, 1)
    return moment.replace(tzinfo=None, microsecond=0)


def _fixed_zip(data: bytes, moment: datetime, transforms: dict[str, Callable[[bytes], bytes]] | None = None) -> bytes:
    """The same archive with every entry dated ``moment`` and its XML made stable: two exports of the same data are
    byte for byte identical (openpyxl stamps the save time; odfpy declares namespaces in a varying order)."""
    stamp = max(moment, datetime(1980, 1, 1)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = info.compress_type
            entry.external_attr = info.external_attr
            content = src.read(info.filename)
            if transforms and info.filename in transforms:
                content = transforms[info.filename](content)
            dst.writestr(entry, _stable_xml(info.filename, content, moment))
    return out.getvalue()


ROOT_TAG = re.compile(rb"<(?!\?)([\w:.-]+)(\s[^>]*?)(/?)>")
ATTRIBUTE = re.compile(rb'\s+([\w:.-]+="[^"]*")')
PREFIX = re.compile(rb"[<\s/]([A-Za-z][\w.-]*):[\w.-]")
MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _stable_xml(name: str, content: bytes, moment: datetime) -> bytes:
    if name == "docProps/core.xml":
        return MODIFIED.sub(rb"\g<1>" + moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", content,
                            count=1)
    if name.startswith(("docProps/", "xl/", "_rels/", "[Content_Types]")) or not name.endswith(".xml"):
        return content
    # odfpy declares on the root every namespace it has met so far in the process, in no fixed order: keep the
    # declarations of the prefixes this part uses, sorted.
    root = ROOT_TAG.search(content)
    if root is None:
        return content
    used = set(PREFIX.findall(content))
    attributes = sorted(a for a in ATTRIBUTE.findall(root.group(2))
                        if not a.startswith(b"xmlns:") or a[6:a.index(b"=")] in used)
    tag = b"<" + root.group(1) + b"".join(b" " + a for a in attributes) + root.group(3) + b">"
    return content[:root.start()] + tag + content[root.end():]


# --- XLSX ------------------------------------------------------------------------------------------------------

XLSX_AMOUNT = '#,##0.00\\ "€"'
XLSX_DATE = "dd/mm/yyyy"


def to_xlsx(programme: Programme) -> bytes:
    """A write-only workbook (streamed rows: fast for thousands of lines) with a bold, frozen, filterable header."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Programmation")
    data, totals = table(programme)
    for i, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(data) + 1}"
    sheet.print_title_rows = "1:1"

    def style(number_format: str | None, bold: bool, wrap: bool = False):
        """The style of a cell, registered once; cells then share it (much faster than styling each cell)."""
        if number_format is None and not bold:
            return None
        cell = WriteOnlyCell(sheet)
        if number_format:
            cell.number_format = number_format
        if bold:
            cell.font = Font(bold=True)
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell._style

    formats = {AMOUNT: XLSX_AMOUNT, DATE: XLSX_DATE, INTEGER: "0", TEXT: None}
    header_style = style(None, bold=True, wrap=True)
    plain = [style(formats[c.kind], bold=False) for c in COLUMNS]
    strong = [style(formats[c.kind], bold=True) for c in COLUMNS]

    def line(values, styles):
        cells = []
        for value, shared in zip(values, styles, strict=True):
            value = float(value) if isinstance(value, Decimal) else value
            # openpyxl stores a string starting with « = » as a live formula: text is always a string cell
            if shared is None and not (isinstance(value, str) and value.startswith("=")):
                cells.append(value)
                continue
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            if shared is not None:
                cell._style = copy(shared)
            cells.append(cell)
        return cells

    sheet.append(line(HEADERS, [header_style] * len(HEADERS)))
    for values in data:
        sheet.append(line(values, plain))
    for values in totals:
        sheet.append(line(values, strong))
    moment = _stamp(programme)
    workbook.properties.creator = "Quartiers"
    workbook.properties.title = f"Programmation — {programme.call.title}"
    workbook.properties.created = workbook.properties.modified = moment
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _fixed_zip(buffer.getvalue(), moment)


# --- ODS -------------------------------------------------------------------------------------------------------


def to_ods(programme: Programme) -> bytes:
    from odf import number
    from odf.meta import CreationDate
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import ParagraphProperties, Style, TableCellProperties, TableColumnProperties, TextProperties
    from odf.table import Table, TableColumn

    doc = OpenDocumentSpreadsheet()
    amount_format = number.NumberStyle(name="montant")
    amount_format.addElement(number.Number(decimalplaces="2", minintegerdigits="1", grouping="true"))
    amount_format.addElement(number.Text(text="\u00a0€"))
    date_format = number.DateStyle(name="date-fr")
    date_format.addElement(number.Day(style="long"))
    date_format.addElement(number.Text(text="/"))
    date_format.addElement(number.Month(style="long"))
    date_format.addElement(number.Text(text="/"))
    date_format.addElement(number.Year(style="long"))
    doc.automaticstyles.addElement(amount_format)
    doc.automaticstyles.addElement(date_format)

    def cell_style(name, bold=False, datastyle=None) -> str:
        style = Style(name=name, family="table-cell", **({"datastylename": datastyle} if datastyle else {}))
        if bold:
            style.addElement(TextProperties(fontweight="bold"))
            style.addElement(TableCellProperties(wrapoption="wrap"))
            style.addElement(ParagraphProperties())
        doc.automaticstyles.addElement(style)
        return name

    names = {
        (TEXT, False): None,
        (INTEGER, False): None,
        (AMOUNT, False): cell_style("ce-montant", datastyle="montant"),
        (DATE, False): cell_style("ce-date", datastyle="date-fr"),
        (TEXT, True): cell_style("ce-gras", bold=True),
        (INTEGER, True): cell_style("ce-gras-entier", bold=True),
        (AMOUNT, True): cell_style("ce-gras-montant", bold=True, datastyle="montant"),
        (DATE, True): cell_style("ce-gras-date", bold=True, datastyle="date-fr"),
    }

    sheet = Table(name="Programmation")
    for i, column in enumerate(COLUMNS):
        col_style = Style(name=f"co{i}", family="table-column")
        col_style.addElement(TableColumnProperties(columnwidth=f"{column.width * 0.21:.2f}cm"))
        doc.automaticstyles.addElement(col_style)
        sheet.addElement(TableColumn(stylename=col_style))
    doc.spreadsheet.addElement(sheet)
    moment = _stamp(programme)
    doc.meta.addElement(CreationDate(text=moment.isoformat()))
    buffer = io.BytesIO()
    doc.write(buffer)

    # odfpy builds an element object per cell, far too slow for thousands of lines: the rows are written as XML
    # text into the table odfpy serialised (same elements, same styles as above).
    data, totals = table(programme)
    parts = ["<table:table-header-rows><table:table-row>",
             *(_ods_cell(text, TEXT, names[(TEXT, True)]) for text in HEADERS),
             "</table:table-row></table:table-header-rows>"]
    for values, bold in [(v, False) for v in data] + [(v, True) for v in totals]:
        parts.append("<table:table-row>")
        for column, value in zip(COLUMNS, values, strict=True):
            kind = AMOUNT if bold and isinstance(value, Decimal) else column.kind
            parts.append(_ods_cell(value, kind, names[(kind, bold)]))
        parts.append("</table:table-row>")
    rows = "".join(parts).encode("utf-8")

    def add_rows(content: bytes) -> bytes:
        end = content.rindex(b"</table:table>")
        return content[:end] + rows + content[end:]

    return _fixed_zip(buffer.getvalue(), moment, {"content.xml": add_rows})


def _ods_cell(value, kind: str, style: str | None) -> str:
    """One ``table:table-cell``: typed (float, date, string) with ``office:value`` and the displayed text."""
    attrs = f' table:style-name="{style}"' if style else ""
    if value is None or value == "":
        return f"<table:table-cell{attrs}/>"
    if kind == AMOUNT:
        attrs += f' office:value-type="float" office:value="{value:.2f}"'
        text = euros(value)
    elif kind == INTEGER:
        attrs += f' office:value-type="float" office:value="{value}"'
        text = str(value)
    elif kind == DATE:
        attrs += f' office:value-type="date" office:date-value="{value.isoformat()}"'
        text = value.strftime("%d/%m/%Y")
    else:
        attrs += ' office:value-type="string"'
        text = str(value)
    return f"<table:table-cell{attrs}><text:p>{xml_escape(text)}</text:p></table:table-cell>"


# --- CSV -------------------------------------------------------------------------------------------------------


def to_csv(programme: Programme) -> bytes:
    """« ; » separator, UTF-8 with a byte-order mark (for spreadsheets), decimal comma, dates as DD/MM/YYYY."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    data, totals = table(programme)
    for values in data + totals:
        writer.writerow([_csv_value(v) for v in values])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return safe_text(value) if isinstance(value, str) else str(value)
