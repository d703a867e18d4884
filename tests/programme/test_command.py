import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from quartiers.programme.management.commands.export_programme import Command
from quartiers.programme.scdl import validate_scdl
from tests.programme.programme_helpers import SIRET_AGGLO, SIRET_STATE


def _export(tmp_path, *args) -> bytes:
    out = tmp_path / "sortie"
    call_command("export_programme", "--call", "ales-2027", *args, "-o", str(out), stdout=io.StringIO())
    return out.read_bytes()


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "csv"])
def test_command_writes_the_bytes_of_the_page(tmp_path, lead_client, prog_data, fmt):
    web = lead_client.get(reverse("programme:export", args=["ales-2027", fmt])).content
    assert _export(tmp_path, "--format", fmt) == web
    web = lead_client.get(reverse("programme:export", args=["ales-2027", fmt]),
                          {"financeur": prog_data["agglo"].pk}).content
    assert _export(tmp_path, "--format", fmt, "--funder", "200 066 918 00018") == web


def test_command_scdl_matches_the_page_and_the_schema(tmp_path, lead_client, prog_data):
    url = reverse("programme:scdl", args=["ales-2027", SIRET_STATE])
    data = _export(tmp_path, "--format", "scdl", "--funder", SIRET_STATE)
    assert data == lead_client.get(url).content
    assert validate_scdl(data.decode()) == []
    above = _export(tmp_path, "--format", "scdl", "--funder", SIRET_AGGLO, "--threshold", "23000")
    assert above == lead_client.get(reverse("programme:scdl", args=["ales-2027", SIRET_AGGLO]),
                                    {"seuil": "23000"}).content
    assert above.decode().count("\r\n") == 1


@pytest.mark.parametrize(("args", "message"), [
    (["--call", "ales-2099", "--format", "csv"], "Appel à projets inconnu : « ales-2099 ». Appels existants : ales-2027."),
    (["--call", "ales-2027", "--format", "csv", "--funder", "12345678901234"],
     "Financeur inconnu dans l'appel « ales-2027 » : SIRET « 12345678901234 »."),
    (["--call", "ales-2027", "--format", "scdl"], "Le format scdl produit le fichier d'un seul financeur"),
    (["--call", "ales-2027", "--format", "csv", "--threshold", "23000"], "--threshold ne s'utilise qu'avec"),
    (["--call", "ales-2027", "--format", "scdl", "--funder", SIRET_STATE, "--threshold", "-3"],
     "--threshold : Seuil : indiquez un montant en euros positif"),
])
def test_command_errors_are_french(tmp_path, prog_data, args, message):
    with pytest.raises(CommandError) as error:
        call_command("export_programme", *args, "-o", str(tmp_path / "f"))
    assert message in str(error.value)
    assert not (tmp_path / "f").exists()


def test_unwritable_output_exits_non_zero(tmp_path, prog_data, capsys):
    target = tmp_path / "absent" / "programme.xlsx"
    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(["quartiers", "export_programme", "--call", "ales-2027", "--format", "xlsx",
                                 "-o", str(target)])
    assert exit_info.value.code != 0
    assert f"Impossible d'écrire le fichier « {target} »" in capsys.readouterr().err


def test_unknown_format_is_refused_by_the_parser(tmp_path, prog_data, capsys):
    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(["quartiers", "export_programme", "--call", "ales-2027", "--format", "pdf",
                                 "-o", str(tmp_path / "f")])
    assert exit_info.value.code != 0
    assert "pdf" in capsys.readouterr().err
