"""« Quelle priorité pour mon projet ? »: the public page where anyone checks which objectives an idea serves.

Works without JavaScript (the form posts and the page comes back with the results); with htmx, the results
update as one types.
"""

from django.http import Http404
from django.shortcuts import render

from quartiers.engine.matching.types import MatchingError, Proposal
from quartiers.frameworks.forms_match import ProposalForm
from quartiers.frameworks.matching import (
    PlaceError,
    contract_for_place,
    elsewhere,
    proposal_problem,
    published_matcher,
    publishing_contracts,
    result_rows,
)
from quartiers.territories.selectors import territory_search


def _choices(matcher) -> list[tuple[str, str]]:
    out = []
    for n in matcher.framework.neighbourhoods:
        value = n.code or n.name
        where = f"{n.commune} — " if n.commune and n.commune not in n.name else ""
        label = f"{where}{n.name}" + (f" ({n.code})" if n.code else "")
        out.append((value, label))
    return out


def match(request):
    """With one contract publishing, its framework at once; with several, the contract chosen (``contrat``), or
    found from a QPV code (``quartier``) or a place typed (``lieu``)."""
    params = request.POST if request.method == "POST" else request.GET
    publishing = list(publishing_contracts())
    if not publishing:
        raise Http404("Aucun référentiel n'est publié.")
    contract, problem = None, ""
    slug, code, place = params.get("contrat", ""), params.get("quartier", ""), params.get("lieu", "").strip()
    if slug or code or len(publishing) == 1:
        try:
            contract = contract_for_place(code, contract_slug=slug) if (slug or code) else publishing[0]
        except PlaceError as exc:
            problem = str(exc)
    found = published_matcher(contract) if contract is not None else None
    if contract is not None and found is None:
        problem, contract = f"Le contrat « {contract.name} » n'a pas encore publié de référentiel.", None
    if found is None:
        return _choose_contract(request, publishing, place=place[:120], problem=problem)
    version, matcher = found
    choices = _choices(matcher)
    if request.method == "POST":
        form = ProposalForm(request.POST, neighbourhoods=choices)
    else:  # a neighbourhood page links here with ?quartier=<code>
        form = ProposalForm(initial={"neighbourhood": code}, neighbourhoods=choices)
    context = {"form": form, "version": version, "contract": contract, "several": len(publishing) > 1,
               "title": "Quelle priorité pour mon projet ?"}
    if request.method == "POST" and form.is_valid():
        context.update(_results(matcher, form.cleaned_data))
    template = "frameworks/match/_results.html" if request.htmx else "frameworks/match/page.html"
    return render(request, template, context)


def _choose_contract(request, publishing, *, place: str, problem: str):
    """The first step when several contracts publish: pick the contract, or find it from a commune or a QPV."""
    by_slug = {c.slug: c for c in publishing}
    places = None
    if place:
        places = [h for h in territory_search(place, limit=40) if h.contract_slug in by_slug][:20]
    return render(request, "frameworks/match/choose.html", {
        "contracts": publishing, "place": place, "places": places, "problem": problem,
        "title": "Quelle priorité pour mon projet ?",
    })


def _results(matcher, cleaned) -> dict:
    problem = proposal_problem(cleaned["title"], cleaned["description"])
    if problem:
        return {"problem": problem}
    proposal = Proposal(title=cleaned["title"], description=cleaned["description"], audience=cleaned["audience"])
    try:
        hood = matcher.neighbourhood(cleaned["neighbourhood"])
        result = matcher.match(proposal, hood)
    except MatchingError as exc:
        return {"problem": str(exc)}
    proposal_text = " — ".join(p for p in (cleaned["title"], cleaned["description"]) if p)
    context = {"result": result, "neighbourhood": hood, "rows": result_rows(result, proposal_text),
               "searched": True}
    if result.no_match:
        context["elsewhere"] = elsewhere(matcher, proposal, exclude_code=hood.code, exclude_name=hood.name)
    return context
