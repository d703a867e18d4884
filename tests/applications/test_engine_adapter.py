"""The engine adapter (models → engine dataclasses) and the one matcher cache it reads the framework through."""

from collections import OrderedDict

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Prefetch
from django.urls import reverse

from quartiers.applications.engine_adapter import (
    application_file,
    application_findings,
    load_content,
    objective_suggestions,
    organisation_to_engine,
)
from quartiers.applications.models import Application, Role
from quartiers.applications.services import application_create, application_document_store
from quartiers.calls.models import CallFunder
from quartiers.calls.selectors import call_to_engine
from quartiers.engine.rules import ApplicationFormatError
from quartiers.frameworks import matching
from quartiers.frameworks.models import FrameworkVersion, Objective, VersionStatus
from tests.applications.factories import ANDUZE, YOUTH, anduze_post, objective_value, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def cold_cache(monkeypatch):
    """An empty matcher cache for this test (as in a new process)."""
    monkeypatch.setattr(matching, "_MATCHERS", OrderedDict())


@pytest.fixture
def filled(client, call, organisation):
    """A draft completed through the autosave, as the form posts it, with the statutes attached."""
    user = organisation.memberships.get(role=Role.ADMINISTRATOR).user
    application = application_create(call=call, organisation=organisation, user=user)
    client.force_login(user)
    client.post(reverse("applications:autosave", args=[application.pk]),
                anduze_post(call, objective=objective_value(call, YOUTH)), HTTP_HX_REQUEST="true")
    application_document_store(application=application, doc_type="statutes", kind="pdf", user=user,
                               uploaded=SimpleUploadedFile("statuts.pdf", pdf_bytes(), "application/pdf"))
    application.refresh_from_db()
    return application


# --- the matcher cache -----------------------------------------------------------------------------------------


def test_a_published_version_is_rebuilt_once_then_served_from_its_row_without_a_query(
        call, cold_cache, rebuilds, django_assert_num_queries):
    version = call.framework_version
    first = matching.matcher_for(version)
    assert rebuilds == [version.pk]
    again = FrameworkVersion.objects.get(pk=version.pk)  # another instance of the same row, as the next page loads
    with django_assert_num_queries(0):
        assert matching.matcher_for(again) is first
    assert rebuilds == [version.pk]
    keys = sorted(o.key for n in first.framework.neighbourhoods for t in n.themes for o in t.objectives)
    assert keys == sorted(Objective.objects.filter(theme__section__version=version).values_list("key", flat=True))


def test_a_row_that_reuses_a_primary_key_is_rebuilt(call, cold_cache, rebuilds):
    """A recreated database may give a new version the primary key of a cached one: its stamp tells them apart."""
    version = call.framework_version
    first = matching.matcher_for(version)
    version.published_at = version.published_at.replace(year=version.published_at.year - 1)
    assert matching.matcher_for(version) is not first
    assert rebuilds == [version.pk, version.pk]


def test_a_draft_is_never_cached(demo_contract, demo_annex, cold_cache, rebuilds):
    from quartiers.frameworks.services import framework_store

    data, result = demo_annex
    draft = framework_store(contract=demo_contract, framework=result.framework, source_name="annexe.docx",
                            source_bytes=data, source_text="\n".join(result.lines))
    assert draft.status == VersionStatus.DRAFT
    assert matching.matcher_for(draft) is not matching.matcher_for(draft)
    assert rebuilds == [draft.pk, draft.pk]
    assert draft.pk not in matching._MATCHERS


def test_the_edit_page_and_the_autosave_rebuild_the_framework_at_most_once(client, filled, call, cold_cache,
                                                                            rebuilds):
    client.get(reverse("applications:edit", args=[filled.pk]))
    client.post(reverse("applications:autosave", args=[filled.pk]),
                anduze_post(call, objective=objective_value(call, YOUTH)), HTTP_HX_REQUEST="true")
    client.get(reverse("applications:edit", args=[filled.pk]))
    assert rebuilds == [call.framework_version.pk]


# --- the adapter -----------------------------------------------------------------------------------------------


def test_application_file_carries_the_call_the_organisation_the_content_and_the_documents(filled, call):
    file = application_file(filled)
    assert file.call == call_to_engine(call)
    assert {f.code for f in file.call.funders} == {cf.funder.code for cf in call.call_funders.all()}
    assert file.organisation == organisation_to_engine(filled.organisation)
    assert file.application.title == filled.title
    assert file.application.budget.total_charges == filled.total_budget
    assert set(file.application.documents) == {d.doc_type for d in filled.documents.all()} | {
        d.doc_type for d in filled.standing_documents.all()}
    assert application_file(filled, with_documents=False).application.documents == ()


def test_the_prefetched_page_instance_gives_the_same_engine_view(filled):
    page = (Application.objects.select_related("call__framework_version", "organisation")
            .prefetch_related(Prefetch("call__call_funders", queryset=CallFunder.objects.select_related("funder")),
                              "call__neighbourhoods", "documents", "standing_documents").get(pk=filled.pk))
    plain = Application.objects.get(pk=filled.pk)
    assert application_file(page) == application_file(plain)
    assert application_findings(page, file=application_file(page)) == application_findings(plain)


def test_load_content_refuses_malformed_content_naming_the_field(filled):
    content = dict(filled.content, start_date="pas une date")
    with pytest.raises(ApplicationFormatError) as exc:
        load_content(filled, content)
    assert exc.value.field.endswith("start_date")
    assert load_content(filled, filled.content).title == filled.title


def test_objective_suggestions_rank_the_objectives_of_each_chosen_neighbourhood(filled, call):
    suggestions = objective_suggestions(filled)
    assert [s.code for s in suggestions] == [ANDUZE] == filled.content["neighbourhoods"]
    rows = suggestions[0].rows
    assert rows and [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    scores = [r["match"].score for r in rows]
    assert scores == sorted(scores, reverse=True)
    framework = matching.matcher_for(call.framework_version).framework
    anduze = {o.key for n in framework.neighbourhoods if n.code == ANDUZE for t in n.themes for o in t.objectives}
    assert {r["match"].objective.key for r in rows} <= anduze
    short = Application.objects.get(pk=filled.pk)
    short.content = dict(filled.content, title="Local", description="", need="", objectives="", activities=[])
    assert objective_suggestions(short)[0].problem
