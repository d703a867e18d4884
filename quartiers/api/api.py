"""The HTTP API (django-ninja): OpenAPI description at /api/openapi.json, documentation at /api/docs."""

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field

from quartiers.engine.framework import framework_to_dict
from quartiers.engine.matching.types import MatchingError, Proposal
from quartiers.frameworks.matching import (
    MAX_AUDIENCE,
    MAX_DESCRIPTION,
    MAX_TITLE,
    PlaceAmbiguous,
    PlaceError,
    contract_for_place,
    proposal_problem,
    published_matcher,
    publishing_contracts,
)
from quartiers.frameworks.selectors import published_version, version_to_framework
from quartiers.territories.models import Contract

api = NinjaAPI(
    title="API Quartiers",
    version="1",
    description=(
        "Référentiel des priorités des quartiers prioritaires d'un contrat de ville et rapprochement d'un projet "
        "avec ces priorités. Toutes les réponses d'erreur portent un champ `detail` en français."
    ),
    urls_namespace="api",
    docs_url="/docs",
)


class Error(Schema):
    detail: str


class MatchIn(Schema):
    neighbourhood: str = Field(..., min_length=1, max_length=200,
                               description="Code QPV officiel (QN03002M) ou partie du nom du quartier ou de sa commune")
    title: str = Field("", max_length=MAX_TITLE, description="Titre de l'action")
    description: str = Field("", max_length=MAX_DESCRIPTION, description="Description de l'action")
    audience: str = Field("", max_length=MAX_AUDIENCE, description="Public visé")
    limit: int = Field(5, ge=1, le=50, description="Nombre d'objectifs renvoyés")
    contract: str = Field("", max_length=80,
                          description="Identifiant du contrat (facultatif) : un code QPV désigne déjà son contrat")


class EvidenceOut(Schema):
    kind: str = Field(..., description="lexicon (jargon reconnu), lexical (mots en commun) ou semantic (sens proche)")
    fragment: str = Field(..., description="Passage de l'objectif qui porte le rapprochement")
    proposal_terms: list[str] = Field(..., description="Mots ou expressions du projet qui le portent")
    weight: float


class MatchOut(Schema):
    objective: str
    label: str
    theme: str
    score: float = Field(..., ge=0, le=1)
    evidence: list[EvidenceOut]


class ContractRef(Schema):
    slug: str
    name: str
    code: str


class MatchResultOut(Schema):
    neighbourhood: str
    code: str
    contract: ContractRef
    framework_version: int
    no_match: bool
    reason: str
    matches: list[MatchOut]


_HTTP_MESSAGES = {
    400: "Requête invalide : le corps doit être un objet JSON valide (UTF-8).",
    401: "Authentification requise.",
    403: "Accès refusé.",
    404: "Ressource introuvable.",
    405: "Méthode non permise pour cette adresse.",
    429: "Trop de requêtes : réessayez dans quelques instants.",
}


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError):
    detail = _HTTP_MESSAGES.get(exc.status_code, "La requête n'a pas pu être traitée.")
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404):
    return api.create_response(request, {"detail": _HTTP_MESSAGES[404]}, status=404)


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError):
    messages = []
    for err in exc.errors:
        field = ".".join(str(p) for p in err.get("loc", ())[1:]) or "requête"
        kind = err.get("type", "")
        if kind == "string_too_long":
            text = f"trop long ({err.get('ctx', {}).get('max_length')} caractères au plus)"
        elif kind == "string_too_short" or kind == "missing":
            text = "obligatoire"
        elif kind in {"greater_than_equal", "less_than_equal"}:
            text = "hors des bornes permises"
        elif kind == "json_invalid":
            text = "le corps de la requête n'est pas un JSON valide"
        else:
            text = "valeur invalide"
        messages.append(f"{field} : {text}")
    return api.create_response(request, {"detail": "Requête invalide — " + " ; ".join(messages)}, status=422)


class Choices(Schema):
    detail: str
    choices: list[str] = Field(..., description="Identifiants des contrats entre lesquels choisir")


def _contract_ref(contract: Contract) -> dict:
    return {"slug": contract.slug, "name": contract.name, "code": contract.code}


@api.post("/v1/match", response={200: MatchResultOut, 400: Error, 404: Error, 409: Choices, 422: Error},
          tags=["rapprochement"],
          summary="Objectifs d'un quartier servis par un projet")
def match(request: HttpRequest, payload: MatchIn):
    """Classe les objectifs du quartier pour le projet décrit, avec les éléments qui justifient chaque
    rapprochement, et indique `no_match` quand aucun ne convient."""
    problem = proposal_problem(payload.title, payload.description)
    if problem:
        return Status(400, {"detail": problem})
    try:
        contract = contract_for_place(payload.neighbourhood, contract_slug=payload.contract)
    except PlaceAmbiguous as exc:
        return Status(409, {"detail": str(exc), "choices": [c.slug for c in exc.choices]})
    except PlaceError as exc:
        return Status(404, {"detail": str(exc)})
    found = published_matcher(contract)
    if found is None:
        return Status(404, {"detail": f"Le contrat « {contract.name} » n'a pas encore publié de référentiel."})
    version, matcher = found
    try:
        hood = matcher.neighbourhood(payload.neighbourhood)
    except MatchingError as exc:
        return Status(404, {"detail": str(exc)})
    try:
        result = matcher.match(Proposal(payload.title, payload.description, payload.audience), hood)
    except MatchingError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(200, {
        "neighbourhood": hood.name,
        "code": hood.code,
        "contract": _contract_ref(contract),
        "framework_version": version.number,
        "no_match": result.no_match,
        "reason": result.reason,
        "matches": [m.as_dict() for m in result.matches[: payload.limit]],
    })


def _framework_data(version) -> dict:
    data = framework_to_dict(version_to_framework(version))
    data["contract"] = _contract_ref(version.contract)
    data["version"] = version.number
    return data


class ContractOut(Schema):
    slug: str
    name: str
    code: str
    neighbourhoods: list[str] = Field(..., description="Codes QPV des quartiers du contrat")
    framework_version: int | None = Field(None, description="Numéro de la version publiée du référentiel")
    framework_url: str | None = Field(None, description="Adresse du référentiel publié dans l'API")


class ContractsOut(Schema):
    contracts: list[ContractOut]


@api.get("/v1/contracts", response={200: ContractsOut}, tags=["référentiel"],
         summary="Contrats de ville de la plateforme et leur référentiel publié")
def contracts(request: HttpRequest):
    from quartiers.frameworks.models import FrameworkVersion

    published = {v.contract_id: v.number for v in FrameworkVersion.objects.published()}
    rows = []
    for c in Contract.objects.prefetch_related("neighbourhoods").order_by("name", "pk"):
        number = published.get(c.pk)
        rows.append({"slug": c.slug, "name": c.name, "code": c.code,
                     "neighbourhoods": sorted(n.code for n in c.neighbourhoods.all()),
                     "framework_version": number,
                     "framework_url": f"/api/v1/contracts/{c.slug}/framework" if number else None})
    return Status(200, {"contracts": rows})


@api.get("/v1/contracts/{slug}/framework", response={200: dict, 404: Error}, tags=["référentiel"],
         summary="Référentiel publié d'un contrat (quartiers, thèmes, objectifs, contraintes)")
def contract_framework(request: HttpRequest, slug: str):
    contract = Contract.objects.filter(slug=slug).first()
    if contract is None:
        return Status(404, {"detail": f"Contrat inconnu : « {slug} ». La liste des contrats est à /api/v1/contracts."})
    version = published_version(contract)
    if version is None:
        return Status(404, {"detail": f"Le contrat « {contract.name} » n'a pas encore publié de référentiel."})
    return Status(200, _framework_data(version))


@api.get("/v1/framework", response={200: dict, 404: Error, 409: Choices}, tags=["référentiel"],
         summary="Référentiel publié, quand un seul contrat publie le sien")
def framework(request: HttpRequest):
    """Le référentiel publié quand un seul contrat de la plateforme en publie un ; sinon, la liste des contrats
    entre lesquels choisir (`/api/v1/contracts/{slug}/framework`)."""
    publishing = list(publishing_contracts())
    if not publishing:
        return Status(404, {"detail": "Aucun référentiel des priorités n'est publié."})
    if len(publishing) > 1:
        return Status(409, {
            "detail": "Plusieurs contrats publient leur référentiel : choisissez-en un, à l'adresse "
                      "/api/v1/contracts/{identifiant}/framework (liste : /api/v1/contracts).",
            "choices": [c.slug for c in publishing],
        })
    version = published_version(publishing[0])
    assert version is not None
    return Status(200, _framework_data(version))
