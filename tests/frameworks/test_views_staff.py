"""Staff pages through the Django test client: rights, import, corrections, publication, comparison."""

from django.urls import reverse

from quartiers.engine.framework import framework_from_dict
from quartiers.frameworks.models import (
    Constraint,
    FrameworkTransition,
    FrameworkVersion,
    ImportNote,
    NeighbourhoodSection,
    Objective,
    Theme,
    VersionStatus,
)
from quartiers.frameworks.services import framework_store
from quartiers.territories.models import Neighbourhood
from tests.frameworks.conftest import STAFF_ANNEX_TEXT, STAFF_FRAMEWORK


def school(version):
    return Theme.objects.get(section__version=version, canonical_theme="education")


def objectives(theme):
    return list(Objective.objects.filter(theme=theme).order_by("position", "pk"))


def review(version):
    return reverse("frameworks:staff_version", args=[version.pk])


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


# --- Rights -------------------------------------------------------------------------------------------------


def staff_urls(version):
    o = objectives(school(version))[0]
    return [
        reverse("frameworks:staff_versions"),
        reverse("frameworks:staff_upload"),
        review(version),
        reverse("frameworks:staff_publish", args=[version.pk]),
        reverse("frameworks:staff_objective_edit", args=[o.pk]),
        reverse("frameworks:staff_objective_split", args=[o.pk]),
        reverse("frameworks:staff_objective_delete", args=[o.pk]),
        reverse("frameworks:staff_objective_constraint", args=[o.pk]),
        reverse("frameworks:staff_theme_edit", args=[o.theme_id]),
        reverse("frameworks:staff_theme_delete", args=[o.theme_id]),
        reverse("frameworks:staff_compare", args=[version.contract.slug]),
    ]


def test_anonymous_visitors_are_sent_to_the_login_page(client, staff_draft):
    for url in staff_urls(staff_draft):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("core:login") + "?next=")


def test_signed_in_non_staff_get_a_french_403(client, django_user_model, staff_draft):
    client.force_login(django_user_model.objects.create_user(username="asso", password="x"))
    for url in staff_urls(staff_draft):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Accès refusé" in response.content.decode()
    o = objectives(school(staff_draft))[0]
    response = client.post(reverse("frameworks:staff_objective_edit", args=[o.pk]), {"text": "Piraté"})
    assert response.status_code == 403
    assert Objective.objects.get(pk=o.pk).text != "Piraté"


def test_staff_see_every_page(staff_client, staff_draft):
    for url in staff_urls(staff_draft):
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert response.content.decode().count("<h1") == 1, url


# --- Versions list ------------------------------------------------------------------------------------------


def test_versions_list_shows_each_version_with_its_counts(staff_client, staff_draft, staff_user):
    FrameworkVersion.objects.filter(pk=staff_draft.pk).update(imported_by=staff_user)
    response = staff_client.get(reverse("frameworks:staff_versions"))
    html = response.content.decode()
    assert "Contrat de ville de l&#x27;arrondissement d&#x27;Alès" in html
    assert "Version 1" in html and "Brouillon" in html and "annexe-anduze.txt" in html
    assert staff_draft.checksum[:12] in html
    assert "Équipe Contrat" in html
    (row,) = response.context["contracts"][0][1]
    assert (row.n_sections, row.n_themes, row.n_objectives, row.n_notes, row.n_open_notes) == (1, 2, 4, 1, 1)
    assert "Importer une annexe" in html
    assert review(staff_draft) in html


# --- Import -------------------------------------------------------------------------------------------------


def upload(client, contract, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("frameworks:staff_upload"),
                       {"contract": contract.pk, "annex": SimpleUploadedFile(name, content)})


def test_upload_refuses_a_file_too_big_in_french(staff_client, staff_contract, settings):
    settings.ANNEX_MAX_BYTES = 100
    response = upload(staff_client, staff_contract, "annexe.txt", b"x" * 101)
    assert response.status_code == 200
    assert "Le fichier est trop volumineux" in response.content.decode()
    assert FrameworkVersion.objects.count() == 0


def test_upload_refuses_an_unknown_format(staff_client, staff_contract):
    response = upload(staff_client, staff_contract, "annexe.exe", b"MZ")
    assert "Ce format de fichier n&#x27;est pas pris en charge" in response.content.decode()
    assert FrameworkVersion.objects.count() == 0


def test_upload_requires_a_contract_and_a_file(staff_client, staff_contract):
    response = staff_client.post(reverse("frameworks:staff_upload"), {})
    html = response.content.decode()
    assert "Choisissez le contrat de ville." in html and "Choisissez le fichier de l&#x27;annexe." in html
    assert 'aria-invalid="true"' in html


def test_upload_of_an_unreadable_file_shows_the_importer_message_and_stores_nothing(staff_client, staff_contract):
    response = upload(staff_client, staff_contract, "annexe.pdf", b"ceci n'est pas un PDF")
    assert response.status_code == 200
    errors = response.context["form"].errors["annex"]
    assert errors and all(e and e[0].isupper() for e in errors)
    assert FrameworkVersion.objects.count() == 0
    assert FrameworkTransition.objects.count() == 0


def test_upload_of_the_seed_layout_stores_a_draft_and_shows_its_review(staff_client, staff_contract, staff_user):
    response = upload(staff_client, staff_contract, "annexe-anduze.txt", STAFF_ANNEX_TEXT.encode())
    version = FrameworkVersion.objects.get()
    assert response.status_code == 302 and response["Location"] == review(version)
    assert (version.status, version.number, version.imported_by) == (VersionStatus.DRAFT, 1, staff_user)
    assert version.source_file == STAFF_ANNEX_TEXT.encode()
    assert Objective.objects.filter(theme__section__version=version).exists()
    page = staff_client.get(response["Location"])
    assert "a été importée" in " ".join(messages_of(page))


# --- Review ---------------------------------------------------------------------------------------------------


def test_review_shows_structure_source_lines_and_warning_beside_its_line(staff_client, staff_draft):
    response = staff_client.get(review(staff_draft))
    html = response.content.decode()
    assert "Centre ancien" in html and "Anduze" in html and "QN03002M" in html
    assert "Réussite scolaire et éducative" in html and "Éducation et réussite scolaire" in html
    assert "Accompagner les parents : actions de soutien" in html
    assert "Hors temps scolaire" in html
    assert "ligne 8" in html and "lignes 5 à 11" in html
    # The warning sits inside the objective it concerns, with the numbered source text around line 9.
    bad = Objective.objects.get(theme__section__version=staff_draft, first_line=9)
    block = html[html.index(f'id="objectif-{bad.pk}"'):]
    block = block[:block.index("Corriger cet objectif")]
    assert "Texte probablement endommagé" in block
    assert "9 │ - Lutter contre le décrochage scol@ire</mark>" in block
    assert "7 │ - Valoriser les parcours" in block and "11 │ Les actions proposées" in block
    assert "Marquer comme traité" in block
    assert "Publier cette version" in html


def test_review_of_a_published_version_is_read_only(staff_client, staff_published):
    html = staff_client.get(review(staff_published)).content.decode()
    assert "ne se modifie plus" in html
    assert "Modifier le texte" not in html and "Publier cette version" not in html


# --- Corrections ----------------------------------------------------------------------------------------------


def test_edit_objective_text(staff_client, staff_draft):
    o = objectives(school(staff_draft))[2]
    url = reverse("frameworks:staff_objective_edit", args=[o.pk])
    assert "Lutter contre le décrochage scol@ire" in staff_client.get(url).content.decode()
    response = staff_client.post(url, {"text": "Lutter contre le décrochage scolaire : tutorat ; aide aux devoirs."},
                                 follow=True)
    o.refresh_from_db()
    assert (o.label, o.action_types) == ("Lutter contre le décrochage scolaire", ["tutorat", "aide aux devoirs"])
    assert "Le texte de l'objectif est corrigé." in messages_of(response)
    assert response.redirect_chain[-1][0] == review(staff_draft) + f"#objectif-{o.pk}"


def test_edit_objective_with_empty_text_shows_the_form_again(staff_client, staff_draft):
    o = objectives(school(staff_draft))[0]
    response = staff_client.post(reverse("frameworks:staff_objective_edit", args=[o.pk]), {"text": "  "})
    assert response.status_code == 200
    assert "Le texte ne peut pas être vide." in response.content.decode()


def test_move_merge_split_delete_objectives(staff_client, staff_draft):
    theme = school(staff_draft)
    a, b, c = objectives(theme)
    staff_client.post(reverse("frameworks:staff_objective_move", args=[b.pk]), {"direction": "up"})
    assert objectives(theme) == [b, a, c]
    parenting = Theme.objects.get(section__version=staff_draft, canonical_theme="parenting")
    staff_client.post(reverse("frameworks:staff_objective_move", args=[c.pk]), {"theme": parenting.pk})
    assert objectives(theme) == [b, a] and objectives(parenting)[-1] == c
    response = staff_client.post(reverse("frameworks:staff_objective_merge", args=[b.pk]), follow=True)
    assert "L'objectif est fusionné avec le suivant." in messages_of(response)
    (merged,) = objectives(theme)
    assert merged.text == f"{b.text} {a.text}"
    response = staff_client.post(reverse("frameworks:staff_objective_split", args=[merged.pk]),
                                 {"second_start": "Valoriser les parcours"}, follow=True)
    assert "L'objectif est scindé en deux." in messages_of(response)
    assert [o.text for o in objectives(theme)] == [b.text, a.text]
    response = staff_client.post(reverse("frameworks:staff_objective_split", args=[merged.pk]),
                                 {"second_start": "introuvable"})
    assert "ne se trouvent pas dans le texte" in response.content.decode()
    delete_url = reverse("frameworks:staff_objective_delete", args=[merged.pk])
    assert "Supprimer l&#x27;objectif" in staff_client.get(delete_url).content.decode()
    staff_client.post(delete_url)
    assert len(objectives(theme)) == 1


def test_objective_to_constraint_and_back_through_the_views(staff_client, staff_draft):
    theme = school(staff_draft)
    o = objectives(theme)[0]
    staff_client.post(reverse("frameworks:staff_objective_constraint", args=[o.pk]), {"tag": "target_audience"})
    constraint = Constraint.objects.get(theme=theme, tag="target_audience")
    assert constraint.text == o.text and not Objective.objects.filter(pk=o.pk).exists()
    staff_client.post(reverse("frameworks:staff_constraint_objective", args=[constraint.pk]))
    assert objectives(theme)[-1].text == o.text


def test_theme_edit_and_delete(staff_client, staff_draft):
    theme = school(staff_draft)
    staff_client.post(reverse("frameworks:staff_theme_edit", args=[theme.pk]),
                      {"title": "Éducation", "canonical_theme": "youth"})
    theme.refresh_from_db()
    assert (theme.title, theme.canonical_theme) == ("Éducation", "youth")
    staff_client.post(reverse("frameworks:staff_theme_delete", args=[theme.pk]))
    assert not Theme.objects.filter(pk=theme.pk).exists()


def test_section_attach_and_note_resolve(staff_client, staff_draft):
    section = NeighbourhoodSection.objects.get(version=staff_draft)
    ales = Neighbourhood.objects.get(code="QN03001I")
    response = staff_client.post(reverse("frameworks:staff_section_attach", args=[section.pk]),
                                 {"neighbourhood": ales.pk}, follow=True)
    section.refresh_from_db()
    assert section.neighbourhood == ales
    assert any("rattaché au quartier" in m for m in messages_of(response))
    note = ImportNote.objects.get(version=staff_draft)
    staff_client.post(reverse("frameworks:staff_note_resolve", args=[note.pk]), {"resolved": "1"})
    note.refresh_from_db()
    assert note.resolved
    html = staff_client.get(review(staff_draft)).content.decode()
    assert "Avertissement traité" in html and "Marquer comme à traiter" in html


def test_corrections_of_a_published_version_are_refused_with_a_message(staff_client, staff_published):
    o = objectives(school(staff_published))[0]
    response = staff_client.post(reverse("frameworks:staff_objective_edit", args=[o.pk]), {"text": "Autre"},
                                 follow=True)
    assert any("ne peut plus être modifiée" in m for m in messages_of(response))
    assert Objective.objects.get(pk=o.pk).text == o.text
    response = staff_client.post(reverse("frameworks:staff_objective_merge", args=[o.pk]), follow=True)
    assert any("ne peut plus être modifiée" in m for m in messages_of(response))


def test_moves_are_post_only(staff_client, staff_draft):
    o = objectives(school(staff_draft))[0]
    assert staff_client.get(reverse("frameworks:staff_objective_move", args=[o.pk])).status_code == 405


# --- Publication ----------------------------------------------------------------------------------------------


def test_publish_archives_the_previous_version(staff_client, staff_published, staff_contract):
    second = framework_store(contract=staff_contract, framework=framework_from_dict(STAFF_FRAMEWORK),
                             source_name="v2.txt", source_bytes=b"v2", source_text=STAFF_ANNEX_TEXT)
    url = reverse("frameworks:staff_publish", args=[second.pk])
    html = staff_client.get(url).content.decode()
    assert "Confirmer la publication" in html and "La version 1, publiée aujourd" in html
    response = staff_client.post(url, follow=True)
    assert any("est publiée" in m for m in messages_of(response))
    staff_published.refresh_from_db()
    second.refresh_from_db()
    assert (staff_published.status, second.status) == (VersionStatus.ARCHIVED, VersionStatus.PUBLISHED)
    assert FrameworkTransition.objects.filter(version=staff_published, to_status=VersionStatus.ARCHIVED).exists()
    archived = staff_client.get(review(staff_published))
    assert archived.status_code == 200 and "Archivée" in archived.content.decode()


def test_publish_twice_is_refused(staff_client, staff_published):
    response = staff_client.post(reverse("frameworks:staff_publish", args=[staff_published.pk]), follow=True)
    assert any("Impossible de passer la version 1" in m for m in messages_of(response))


# --- Comparison -----------------------------------------------------------------------------------------------


def test_compare_two_versions(staff_client, staff_published, staff_contract):
    data = framework_from_dict(STAFF_FRAMEWORK)
    second = framework_store(contract=staff_contract, framework=data, source_name="v2.txt", source_bytes=b"v2")
    theme = school(second)
    a, b, c = objectives(theme)
    staff_client.post(reverse("frameworks:staff_objective_edit", args=[c.pk]),
                      {"text": "Lutter contre le décrochage scolaire"})
    staff_client.post(reverse("frameworks:staff_objective_delete", args=[a.pk]))
    url = reverse("frameworks:staff_compare", args=[staff_contract.slug])
    response = staff_client.get(url, {"de": 1, "a": 2})
    html = response.content.decode()
    assert response.context["diff_counts"] == {"added": 0, "removed": 1, "modified": 1, "moved": 0}
    assert "<del>scol@ire</del>" in html and "<ins>scolaire</ins>" in html
    assert "<del>Valoriser les parcours de réussite et l&#x27;exemplarité.</del>" in html
    assert "De la version 1 à la version 2" in html
    empty = staff_client.get(url, {"de": 1, "a": 1}).content.decode()
    assert "Aucune différence entre ces deux versions." in empty
    assert staff_client.get(url, {"de": 1, "a": 9}).context["diff"] is None


def test_importing_again_creates_a_new_draft_beside_the_published_version(staff_client, staff_published,
                                                                          staff_contract):
    page = staff_client.get(reverse("frameworks:staff_upload"), {"contrat": staff_contract.slug})
    assert page.context["form"]["contract"].value() == staff_contract.pk
    response = upload(staff_client, staff_contract, "annexe-anduze.txt", STAFF_ANNEX_TEXT.encode())
    second = FrameworkVersion.objects.get(contract=staff_contract, number=2)
    assert response["Location"] == review(second)
    assert second.status == VersionStatus.DRAFT
    staff_published.refresh_from_db()
    assert staff_published.status == VersionStatus.PUBLISHED
    html = staff_client.get(reverse("frameworks:staff_versions")).content.decode()
    assert "Version 2" in html and "Version 1" in html and "Comparer deux versions" in html
