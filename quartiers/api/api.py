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
    proposal_problem,
    published_matcher,
)
from quartiers.frameworks.selectors import published_version, version_to_framework

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


class MatchResultOut(Schema):
    neighbourhood: str
    code: str
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


@api.post("/v1/match", response={200: MatchResultOut, 400: Error, 404: Error, 422: Error}, tags=["rapprochement"],
          summary="Objectifs d'un quartier servis par un projet")
def match(request: HttpRequest, payload: MatchIn):
    """Classe les objectifs du quartier pour le projet décrit, avec les éléments qui justifient chaque
    rapprochement, et indique `no_match` quand aucun ne convient."""
    found = published_matcher()
    if found is None:
        return Status(404, {"detail": "Aucun référentiel des priorités n'est publié."})
    version, matcher = found
    problem = proposal_problem(payload.title, payload.description)
    if problem:
        return Status(400, {"detail": problem})
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
        "framework_version": version.number,
        "no_match": result.no_match,
        "reason": result.reason,
        "matches": [m.as_dict() for m in result.matches[: payload.limit]],
    })


@api.get("/v1/framework", response={200: dict, 404: Error}, tags=["référentiel"],
         summary="Référentiel publié (quartiers, thèmes, objectifs, contraintes)")
def framework(request: HttpRequest):
    version = published_version()
    if version is None:
        return Status(404, {"detail": "Aucun référentiel des priorités n'est publié."})
    data = framework_to_dict(version_to_framework(version))
    data["contract"] = {"slug": version.contract.slug, "name": version.contract.name, "code": version.contract.code}
    data["version"] = version.number
    return Status(200, data)
