"""A complete, admissible Anduze application as the form posts it, and real files built in memory."""

from io import BytesIO

ANDUZE = "QN03002M"


def anduze_post(call, **overrides) -> dict:
    """The POST of the application form for an admissible youth action in Anduze (evening and Saturday)."""
    funders = {f.funder.kind: f.funder.code for f in call.call_funders.select_related("funder")}
    data = {
        "title": "Les soirées et samedis du local jeunes",
        "need": "Les 12-17 ans du centre-ville d'Anduze n'ont aucun lieu ouvert le soir ni le week-end.",
        "objectives": "Ouvrir un accueil encadré en soirée et le samedi, construire le programme avec les jeunes.",
        "description": ("Ouverture du local jeunes le vendredi soir et le samedi après-midi : activités sportives "
                        "et culturelles pour les adolescents, sorties, projets portés par les jeunes."),
        "activities": "Accueil libre le vendredi soir\nTournois le samedi",
        "places": "Local jeunes, rue du Luxembourg, Anduze",
        "partners": "Commune d'Anduze\nMission locale",
        "means": "Un animateur BPJEPS à mi-temps, deux bénévoles.",
        "neighbourhoods": [ANDUZE],
        "start_date": "2027-01-08", "end_date": "2027-12-18", "renewal": "0",
        "aud-female-11-14": "12", "aud-female-11-14-qpv": "9",
        "aud-male-15-17": "14", "aud-male-15-17-qpv": "10",
        "slot-0-kind": "evening", "slot-0-weekday": "friday", "slot-0-start": "18:00", "slot-0-end": "21:00",
        "slot-1-kind": "weekend", "slot-1-weekday": "saturday", "slot-1-start": "14:00", "slot-1-end": "18:00",
        "ind-0-name": "Jeunes différents accueillis", "ind-0-target": "50",
        "charge-60": "1 800,00", "charge-64": "14000", "charge-62": "1600", "charge-86": "3000",
        f"subsidy-{funders['etat_bop147']}": "6500", f"subsidy-{funders['commune']}": "4500",
        "income-70": "900", "income-75": "5500", "income-87": "3000",
        "cer_attested": "1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def pdf_bytes(text: str = "Statuts de l'association") -> bytes:
    from reportlab.pdfgen import canvas

    buf = BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 720, text)
    c.save()
    return buf.getvalue()


def docx_bytes(text: str = "Liste des dirigeants") -> bytes:
    import docx

    buf = BytesIO()
    d = docx.Document()
    d.add_paragraph(text)
    d.save(buf)
    return buf.getvalue()


def png_bytes() -> bytes:
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"\x00\xff\xff\xff"
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def objective_value(call, starts_with: str, code: str = ANDUZE) -> str:
    """``<key>|<code>`` of the published objective whose text starts with ``starts_with``."""
    from quartiers.frameworks.matching import matcher_for

    for n in matcher_for(call.framework_version).framework.neighbourhoods:
        if n.code != code:
            continue
        for t in n.themes:
            for o in t.objectives:
                if o.text.startswith(starts_with):
                    return f"{o.key}|{code}"
    raise LookupError(starts_with)


YOUTH = "Soutenir les activités spécifiquement"
