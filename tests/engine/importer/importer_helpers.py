"""Helpers of the importer tests: paths of the seed annex and its gold structure, the scorer's normalisation."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT / "data" / "demo" / "annexe-1-projets-de-quartiers-ales.txt"
FIXTURES = Path(__file__).with_name("fixtures")
GOLD = FIXTURES / "seed_framework_ids.json"  # copy of shared/eval/seed_framework_ids.json
REFERENCE = ROOT / "data" / "reference" / "qpv_2024_france.csv"


def norm(text: str) -> str:
    """The scorer's comparison: whitespace collapsed, leading « - » stripped."""
    return re.sub(r"\s+", " ", text.strip().lstrip("-").strip()).strip()


def structure(framework) -> list:
    """(heading, [(theme title, [objective texts])]) with the scorer's normalisation."""
    return [
        (norm(n.heading), [(norm(t.title), [norm(o.text) for o in t.objectives]) for t in n.themes])
        for n in framework.neighbourhoods
    ]


def gold_structure(gold: dict) -> list:
    return [
        (norm(q["heading"]), [(norm(t["title"]), [norm(o["text"]) for o in t["objectives"]]) for t in q["themes"]])
        for q in gold["qpvs"]
    ]


def counts(framework) -> tuple[int, int, int]:
    return len(framework.neighbourhoods), len(framework.themes), len(framework.objectives)


# --- the seed as structured paragraphs, and office documents built from them ---------------------------------


def seed_paragraphs(gold: dict) -> list[tuple[str, str]]:
    """The seed annex as (kind, text) paragraphs: kind is title, nbh, theme, bullet or text.

    Headings are told by the gold structure (not by the importer), the bullet broken over two lines is one
    paragraph, as a word processor would hold it.
    """
    themes = {norm(t["title"]) for q in gold["qpvs"] for t in q["themes"]}
    headings = {norm(q["heading"]) for q in gold["qpvs"]}
    out: list[tuple[str, str]] = []
    for number, line in enumerate(SEED.read_text(encoding="utf-8").split("\n"), 1):
        if not line.strip():
            continue
        text = norm(line)
        if number in (1, 3):
            out.append(("title", text))
        elif text in headings:
            out.append(("nbh", text))
        elif text in themes:
            out.append(("theme", text))
        elif line.startswith("- "):
            out.append(("bullet", text))
        elif line.startswith(" ") and line.strip()[:1].islower():
            kind, previous = out.pop()
            out.append((kind, previous + " " + text))
        else:
            out.append(("text", text))
    return out


def _docx_numbering(document, fmt: str) -> int:
    """Add a numbering definition (bullet or decimal) to a python-docx document; returns its numId."""
    from docx.oxml import parse_xml

    numbering = document.part.numbering_part.element
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    abstract_id = 90 + len(numbering.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}abstractNum"))
    num_id = abstract_id + 100
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="%{i + 1}."/></w:lvl>'
        for i in range(3)
    )
    abstract = parse_xml(f'<w:abstractNum {ns} w:abstractNumId="{abstract_id}">{levels}</w:abstractNum>')
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {ns} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'))
    return num_id


def docx_set_numbering(paragraph, num_id: int, level: int = 0) -> None:
    from docx.oxml import parse_xml

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {ns}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def build_docx(paragraphs: list[tuple[str, str]], path: Path) -> Path:
    """A Word document with real heading styles and list numbering (numPr on « List Paragraph »)."""
    import docx

    document = docx.Document()
    bullets = _docx_numbering(document, "bullet")
    for kind, text in paragraphs:
        if kind == "title":
            document.add_paragraph(text, style="Title")
        elif kind == "nbh":
            document.add_heading(text, level=1)
        elif kind == "theme":
            document.add_heading(text, level=2)
        elif kind == "bullet":
            docx_set_numbering(document.add_paragraph(text, style="List Paragraph"), bullets)
        else:
            document.add_paragraph(text)
    document.save(str(path))
    return path


def build_pdf(paragraphs: list[tuple[str, str]], path: Path) -> Path:
    """A PDF with a text layer (reportlab): larger bold headings, wrapped paragraphs, « - » bullets."""
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["Normal"], fontSize=10, leading=12, spaceAfter=8)
    bullet = ParagraphStyle("bullet", parent=body, leftIndent=12, firstLineIndent=-8)
    kinds = {"title": styles["Title"], "nbh": styles["Heading1"], "theme": styles["Heading2"], "bullet": bullet,
             "text": body}
    story = [Paragraph(escape(("- " if kind == "bullet" else "") + text), kinds[kind]) for kind, text in paragraphs]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def build_odt(paragraphs: list[tuple[str, str]], path: Path) -> Path:
    """An OpenDocument text with text:h headings (outline levels) and text:list bullets."""
    from odf.opendocument import OpenDocumentText
    from odf.text import H, List, ListItem, P

    document = OpenDocumentText()
    current_list = None
    for kind, text in paragraphs:
        if kind == "bullet":
            if current_list is None:
                current_list = List()
                document.text.addElement(current_list)
            item = ListItem()
            item.addElement(P(text=text))
            current_list.addElement(item)
            continue
        current_list = None
        if kind in {"nbh", "theme", "title"}:
            document.text.addElement(H(outlinelevel={"title": 1, "nbh": 1, "theme": 2}[kind], text=text))
        else:
            document.text.addElement(P(text=text))
    document.save(str(path))
    return path
