import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from quartiers.applications.models import Status
from quartiers.programme.scdl import COLUMNS, scdl_file, validate_scdl
from quartiers.reviews.models import CommitteeSession, Decision, Outcome, SessionStatus
from tests.programme.programme_helpers import make_application

SCHEMA_ORDER = ["nomAttribuant", "idAttribuant", "dateConvention", "referenceDecision", "nomBeneficiaire",
                "idBeneficiaire", "rnaBeneficiaire", "objet", "montant", "nature", "conditionsVersement",
                "datesPeriodeVersement", "idRAE", "notificationUE", "pourcentageSubvention", "dispositifAide"]


def _rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_state_file_has_the_sixteen_columns_in_order_and_its_grant(prog_data):
    data = scdl_file(prog_data["call"], [prog_data["state"]])
    assert not data.startswith(b"\xef\xbb\xbf")
    header = data.decode().split("\r\n")[0]
    assert header.split(",") == SCHEMA_ORDER == list(COLUMNS)
    [row] = _rows(data)  # the refusal of 2027-002 is not a grant
    assert row == {
        "nomAttribuant": "Préfecture du Gard (BOP 147)", "idAttribuant": "17300001900013",
        "dateConvention": "2027-03-28", "referenceDecision": "DEL-2027-014",
        "nomBeneficiaire": "Association Cévennes Jeunesse", "idBeneficiaire": "81324567700014",
        "rnaBeneficiaire": "W301000123", "objet": "Les soirées et samedis du local jeunes", "montant": "25000.00",
        "nature": "aide en numéraire", "conditionsVersement": "échelonné",
        "datesPeriodeVersement": "2027-04-01/2027-12-31", "idRAE": "", "notificationUE": "non",
        "pourcentageSubvention": "1.00", "dispositifAide": "",
    }
    assert validate_scdl(data.decode()) == []


def test_defaults_when_no_convention_nor_payment_dates(prog_data, prog_orgs):
    call, agglo = prog_data["call"], prog_data["agglo"]
    app = make_application(call, prog_orgs[1], 8, Status.DECIDED, title="  Un   titre " + "très long " * 40)
    Decision.objects.create(application=app, funder=agglo, outcome=Outcome.GRANTED, amount=Decimal("1234.5"),
                            decided_on=date(2027, 4, 2), notified_at=datetime(2027, 4, 3, 9, tzinfo=UTC))
    rows = {r["idBeneficiaire"]: r for r in _rows(scdl_file(call, [agglo]))}
    row = rows["84123456000024"]
    assert row["dateConvention"] == "2027-04-02" and row["datesPeriodeVersement"] == "2027-04-02"
    assert row["conditionsVersement"] == "unique" and row["montant"] == "1234.50"
    assert row["rnaBeneficiaire"] == ""  # « Registre Colmar 45/12 » is no RNA number
    assert len(row["objet"]) == 256 and row["objet"].startswith("Un titre très long")
    assert validate_scdl(scdl_file(call, [agglo]).decode()) == []


def test_only_final_grants_of_voted_applications_are_published(prog_data, prog_orgs):
    call, agglo = prog_data["call"], prog_data["agglo"]
    session = CommitteeSession.objects.create(call=call, title="Second comité", date=date(2027, 5, 10),
                                              status=SessionStatus.OPEN)
    app = make_application(call, prog_orgs[1], 8, Status.DECIDED, title="Jardin partagé")
    decision = Decision.objects.create(application=app, funder=agglo, session=session, outcome=Outcome.GRANTED,
                                       amount=Decimal("3000"), decided_on=date(2027, 5, 10))

    def titles():
        return [r["objet"] for r in _rows(scdl_file(call, [agglo]))]

    assert titles() == ["Les soirées et samedis du local jeunes"]  # the open session's grant may still change
    decision.notified_at = datetime(2027, 5, 11, 8, tzinfo=UTC)
    decision.save()
    assert titles() == ["Les soirées et samedis du local jeunes", "Jardin partagé"]  # notified: final
    decision.notified_at = None
    decision.save()
    session.status = SessionStatus.CLOSED
    session.save()
    assert titles() == ["Les soirées et samedis du local jeunes", "Jardin partagé"]  # session closed: final
    app.status = Status.REVIEWED  # sent back to the instruction: the grant is void
    app.save()
    assert titles() == ["Les soirées et samedis du local jeunes"]
    prog_data["apps"][0].status = Status.REFUSED
    prog_data["apps"][0].save()
    assert titles() == []


def test_threshold_keeps_grants_above_it(prog_data):
    call = prog_data["call"]
    assert len(_rows(scdl_file(call, [prog_data["state"]], threshold=Decimal("23000")))) == 1
    assert _rows(scdl_file(call, [prog_data["state"]], threshold=Decimal("25000"))) == []  # strictly above
    assert _rows(scdl_file(call, [prog_data["agglo"]], threshold=Decimal("23000"))) == []


GOOD = dict(zip(SCHEMA_ORDER, [
    "Commune d'Anduze", "21300007800013", "2027-03-28", "DM-2027-07", "Association Cévennes Jeunesse",
    "81324567700014", "W301000123", "Local jeunes", "2000.00", "aide en numéraire", "unique", "2027-04-15", "",
    "non", "1.00", ""], strict=True))


def _file(*rows, header=SCHEMA_ORDER) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(c, "") for c in header])
    return buffer.getvalue()


def test_a_good_file_passes():
    assert validate_scdl(_file(GOOD, {**GOOD, "nature": "aide en nature;aide en numéraire",
                                      "datesPeriodeVersement": "2027-04-01/2027-12-31", "rnaBeneficiaire": "",
                                      "idRAE": "12345", "pourcentageSubvention": "0.45"})) == []


@pytest.mark.parametrize(("column", "value", "expected"), [
    ("nomAttribuant", "", "valeur obligatoire manquante."),
    ("idAttribuant", "213000078", "« 213000078 » n'est pas un SIRET de 14 chiffres."),
    ("idBeneficiaire", "8132456770001A", "« 8132456770001A » n'est pas un SIRET"),
    ("rnaBeneficiaire", "W30100012", "« W30100012 » n'est pas un numéro RNA"),
    ("dateConvention", "28/03/2027", "« 28/03/2027 » n'est pas une date valide"),
    ("dateConvention", "2027-02-30", "« 2027-02-30 » n'est pas une date valide"),
    ("objet", "x" * 257, "257 caractères, au plus 256 permis."),
    ("objet", "", "valeur obligatoire manquante."),
    ("montant", "2000,00", "« 2000,00 » n'est pas un nombre écrit avec un point"),
    ("nature", "subvention", "« subvention » n'est pas une valeur permise"),
    ("conditionsVersement", "y" * 257, "257 caractères"),
    ("datesPeriodeVersement", "2027-04", "« 2027-04 » n'est pas une date"),
    ("datesPeriodeVersement", "2027-12-31/2027-01-01", "la période finit avant de commencer"),
    ("datesPeriodeVersement", "2027-13-01", "« 2027-13-01 » contient une date qui n'existe pas."),
    ("idRAE", "123456", "6 caractères, au plus 5 permis."),
    ("notificationUE", "false", "« false » : seules les valeurs « oui » et « non »"),
    ("pourcentageSubvention", "1.5", "le pourcentage doit être compris entre"),
    ("pourcentageSubvention", "0", "le pourcentage doit être compris entre 0.01 et 1"),
    ("montant", " 12.00", "espaces en début ou en fin de valeur."),
])
def test_each_broken_rule_is_reported(column, value, expected):
    errors = validate_scdl(_file(GOOD, {**GOOD, column: value}))  # the good line 2 passes, line 3 is broken
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"Ligne 3, colonne {column} : ") and expected in errors[0], errors


def test_header_and_shape_errors():
    assert validate_scdl("") == ["Ligne 1 : le fichier est vide ; il doit au moins contenir la ligne d'en-tête."]
    assert "marque d'ordre des octets" in validate_scdl("\ufeff" + _file(GOOD))[0]
    missing = validate_scdl(_file(GOOD, header=SCHEMA_ORDER[:-1]))
    assert missing == ["Ligne 1 : colonne(s) manquante(s) : dispositifAide."]
    unknown = validate_scdl(_file(GOOD, header=[*SCHEMA_ORDER, "observations"]))
    assert unknown == ["Ligne 1 : colonne(s) inconnue(s) du schéma : observations."]
    swapped = [SCHEMA_ORDER[1], SCHEMA_ORDER[0], *SCHEMA_ORDER[2:]]
    assert "pas dans l'ordre du schéma" in validate_scdl(_file(GOOD, header=swapped))[0]
    short = _file(GOOD) + "Commune,21300007800013\r\n"
    assert validate_scdl(short) == ["Ligne 3 : 2 valeurs au lieu de 16."]
    semicolons = _file(GOOD).replace(",", ";")
    assert validate_scdl(semicolons)[0].startswith("Ligne 1 : colonne(s) manquante(s)")
