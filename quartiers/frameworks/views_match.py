"""« Quelle priorité pour mon projet ? »: the public page where anyone checks which objectives an idea serves.

Works without JavaScript (the form posts and the page comes back with the results); with htmx, the results
update as one types.
"""

from django.http import Http404
from django.shortcuts import render

from quartiers.engine.matching.types import MatchingError, Proposal
from quartiers.frameworks.forms_match import ProposalForm
from quartiers.frameworks.matching import elsewhere, proposal_problem, published_matcher, result_rows


def _choices(matcher) -> list[tuple[str, str]]:
    out = []
    for n in matcher.framework.neighbourhoods:
        value = n.code or n.name
        where = f"{n.commune} — " if n.commune and n.commune not in n.name else ""
        label = f"{where}{n.name}" + (f" ({n.code})" if n.code else "")
        out.append((value, label))
    return out


def match(request):
    found = published_matcher()
    if found is None:
        raise Http404("Aucun référentiel n'est publié.")
    version, matcher = found
    choices = _choices(matcher)
    if request.method == "POST":
        form = ProposalForm(request.POST, neighbourhoods=choices)
    else:  # a neighbourhood page links here with ?quartier=<code>
        form = ProposalForm(initial={"neighbourhood": request.GET.get("quartier", "")}, neighbourhoods=choices)
    context = {"form": form, "version": version, "title": "Quelle priorité pour mon projet ?"}
    if request.method == "POST" and form.is_valid():
        context.update(_results(matcher, form.cleaned_data))
    template = "frameworks/match/_results.html" if request.htmx else "frameworks/match/page.html"
    return render(request, template, context)


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
