"""The decision letter as a PDF (A4, reportlab), with the same content as the printable HTML letter.

The standard PDF fonts encode WinAnsi (cp1252): French accents, « », ’, œ and € are in it; the narrow no-break
spaces of French number formatting are not, so they become ordinary no-break spaces.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.text import capfirst
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from quartiers.common.formats import CONVENTION_NOTE, euros
from quartiers.reviews.models import Outcome


def _text(value) -> str:
    """Escaped for reportlab's mini-markup, with the characters the standard fonts lack replaced."""
    return escape(str(value or "")).replace("\u202f", "\u00a0").replace("\n", "<br/>")


def _euros(amount) -> str:
    return _text(euros(amount))


def _date(value) -> str:
    return date_format(value, "j F Y")


def letter_pdf(*, application, organisation, contract, decisions, letter_date) -> bytes:
    """The letter of the decisions given (already filtered to what the reader may see)."""
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontName="Helvetica", fontSize=10.5, leading=14,
                          spaceAfter=6)
    small = ParagraphStyle("small", parent=body, fontSize=9.5, leading=12)
    heading = ParagraphStyle("heading", parent=body, fontName="Helvetica-Bold", fontSize=11, spaceBefore=8)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=f"Décision — dossier {application.reference}",
                            author=contract.name, subject=application.title, creator="Quartiers")
    sender = Paragraph(f"<b>{_text(contract.name)}</b><br/>{_text(contract.lead_name)}<br/>Comité de programmation"
                       f"<br/><br/>Dossier n° <b>{_text(application.reference)}</b><br/>{_text(application.call.title)}",
                       small)
    recipient_lines = [f"<b>{_text(organisation.legal_name)}</b>"]
    if organisation.representative_name:
        role = f", {_text(organisation.representative_role)}" if organisation.representative_role else ""
        recipient_lines.append(f"À l'attention de {_text(organisation.representative_name)}{role}")
    recipient_lines += [_text(organisation.street), f"{_text(organisation.postcode)} {_text(organisation.commune)}"]
    head = Table([[sender, Paragraph("<br/>".join(recipient_lines), small)]], colWidths=[95 * mm, 79 * mm])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story = [head, Spacer(1, 10 * mm),
             Paragraph(f"Le {_date(letter_date)}", body),
             Paragraph(f"<b>Objet : décision sur votre demande de subvention « {_text(application.title)} » "
                       f"(dossier n° {_text(application.reference)})</b>", body),
             Paragraph("Madame, Monsieur,", body),
             Paragraph(f"Le comité de programmation du {_text(contract.name)} a examiné la demande de subvention que "
                       f"{_text(organisation.legal_name)} a déposée pour l'action « {_text(application.title)} ». "
                       "Les financeurs sollicités ont pris les décisions suivantes.", body)]
    rows = [[Paragraph("<b>Financeur</b>", small), Paragraph("<b>Décision</b>", small),
             Paragraph("<b>Montant accordé</b>", small)]]
    for d in decisions:
        act = f"{_text(d.reference)}, " if d.reference else "le "
        rows.append([Paragraph(_text(d.funder.name), small),
                     Paragraph(f"{_text(d.get_outcome_display().capitalize())}<br/>({act}"
                               f"{d.decided_on:%d/%m/%Y})", small),
                     Paragraph(_euros(d.amount) if d.outcome == Outcome.GRANTED else "—", small)])
    table = Table(rows, colWidths=[80 * mm, 54 * mm, 40 * mm], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]))
    story += [table, Spacer(1, 4 * mm)]
    for d in decisions:
        part = [Paragraph(_text(d.funder.name), heading)]
        if d.outcome == Outcome.GRANTED:
            part.append(Paragraph(f"Une subvention de <b>{_euros(d.amount)}</b> vous est accordée.", body))
            if d.conditions:
                part.append(Paragraph(f"Conditions : {_text(d.conditions)}", body))
            dates = ""
            if d.payment_dates:
                dates = f" ({'période ' if '/' in d.payment_dates else ''}{_text(d.payment_dates)})"
            part.append(Paragraph(f"Conditions de versement : {_text(d.get_payment_terms_display())}{dates}.", body))
            if d.needs_convention:
                signed = f", signée le {_date(d.convention_date)}" if d.convention_date else ""
                part.append(Paragraph(
                    f"<b>{capfirst(CONVENTION_NOTE)} : en application de l'article 10 de la loi "
                    "n° 2000-321 du 12 avril 2000, cette subvention fait l'objet d'une convention précisant son "
                    f"objet, son montant et ses conditions d'utilisation{signed}.</b>", body))
        else:
            part.append(Paragraph("Votre demande n'a pas été retenue.", body))
            part.append(Paragraph(f"Motif : {_text(d.reason)}", body))
        story.append(KeepTogether(part))
    story += [Spacer(1, 4 * mm),
              Paragraph("Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.",
                        body),
              Spacer(1, 10 * mm),
              Paragraph("Le président du comité de programmation",
                        ParagraphStyle("sign", parent=body, leftIndent=95 * mm))]
    doc.build(story)
    return buffer.getvalue()
