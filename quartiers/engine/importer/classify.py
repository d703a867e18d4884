"""Keyword heuristics: canonical theme of a title, constraints in a sentence, label and action types of an objective.

Language data are plain constants; every function is pure.
"""

from __future__ import annotations

import re

from quartiers.engine.framework import Constraint, SourceSpan
from quartiers.engine.importer.text import fold_aligned, soft_fold, squash

# --- canonical themes ------------------------------------------------------------------------------------

# code → patterns on the soft-folded title (lower case, no accents). The theme whose keyword comes first in the
# title wins (« Santé / Prévention de la délinquance » → health); ties go to the earlier entry of this table.
THEME_KEYWORDS: dict[str, tuple[str, ...]] = {
    "crime_prevention": (r"prevention de la delinquance", r"delinquance", r"tranquillite", r"securite publique",
                         r"radicalisation", r"securite"),
    "education": (r"scolai", r"educati", r"ecoles?\b", r"decrochage", r"enseignement", r"periscolaire",
                  r"reussite educative", r"cite educative"),
    "parenting": (r"parentalite", r"parents?\b", r"familles?\b", r"familial", r"petite enfance"),
    "youth": (r"jeunesse", r"jeunes?\b", r"adolescen", r"enfance"),
    "employment": (r"emploi", r"formation", r"insertion", r"creation d'activite", r"entrepreneur",
                   r"developpement economique", r"activite economique", r"economi", r"travail"),
    "housing": (r"habitat", r"logement", r"cadre de vie", r"renouvellement urbain", r"espaces? publics?",
                r"gestion urbaine", r"urbanisme", r"amenagement"),
    "social_link": (r"lien social", r"acces aux droits", r"cohesion sociale", r"vivre[- ]ensemble", r"solidarit",
                    r"inclusion numerique", r"numerique", r"animation sociale", r"services? publics?",
                    r"isolement", r"intergeneration"),
    "citizenship": (r"citoyen", r"valeurs de la republique", r"laicite", r"egalite", r"discrimination",
                    r"participation des habitants", r"participation", r"memoire"),
    "health": (r"sante", r"soins?\b", r"bien[- ]etre", r"addiction", r"alimentation",
               r"prevention (?:sante|des (?:conduites|addictions|risques))"),
    "culture": (r"cultur", r"artisti", r"patrimoine", r"lecture publique"),
    "sport": (r"sporti", r"sports?\b", r"activite physique"),
    "mobility": (r"mobilite", r"transports?\b", r"deplacement"),
    "ecology": (r"ecologi", r"environnement", r"transition", r"climat", r"energ", r"developpement durable",
                r"biodiversite", r"nature en ville"),
}
_THEME_RES = {code: [re.compile(p) for p in pats] for code, pats in THEME_KEYWORDS.items()}
_THEME_ORDER = list(THEME_KEYWORDS)


def canonical_theme(title: str) -> str:
    """The code of ``CANONICAL_THEMES`` a theme title belongs to (``other`` when no keyword matches)."""
    folded = soft_fold(title)
    best: tuple[int, int, str] | None = None
    for rank, code in enumerate(_THEME_ORDER):
        for pattern in _THEME_RES[code]:
            m = pattern.search(folded)
            if m and (best is None or (m.start(), rank) < best[:2]):
                best = (m.start(), rank, code)
    return best[2] if best else "other"


# --- constraints ------------------------------------------------------------------------------------------

CONSTRAINT_PATTERNS: tuple[tuple[str, str], ...] = (
    ("out_of_school_time", r"hors[\s-]*(?:du\s+)?temps[\s-]*scolaires?|extra[\s-]?scolaires?"),
    ("long_duration", r"\btemps[\s-]long\b|\bdans la duree\b|\bpluri-?annuel\w*|\btout au long de l'annee\b"),
    ("off_hours", r"horaires?\s+decale\w*|\ben soiree\b|\bsoirees?\b|\bweek[\s-]?ends?\b|\bvacances scolaires\b"
                  r"|\ben nocturne\b|\ble soir\b"),
    ("at_doorstep", r"pieds?\s+(?:d'|des\s+)immeubles?|au sein meme du (?:qpv|quartier)|en bas des immeubles"
                    r"|au c(?:oe|œ)ur (?:meme )?du (?:qpv|quartier)|hors les murs"),
    ("outreach", r"\baller[\s-]+vers\b"),
    ("co_construction", r"\bco[\s-]?constru\w+|\bco[\s-]?elabor\w+"),
    ("partnership", r"\ben (?:lien|partenariat|articulation|coordination) avec (?:les? |la |l')?"
                    r"(?:programmes?|pre\b|dispositifs?|acteurs|partenaires|ecoles?|etablissements|entreprises"
                    r"|services|structures|associations|education nationale|cites? educatives?|reseaux?"
                    r"|colleges?|centres? sociaux|centre social|france travail|missions? locales?|caf\b)"
                    r"|\b(?:associer|impliquer|mobiliser)\b.{0,40}\b(?:france travail|missions? locales?|education"
                    r" nationale|caf\b|partenaires|programme de reussite educative)"),
)
_CONSTRAINT_RES = tuple((tag, re.compile(p)) for tag, p in CONSTRAINT_PATTERNS)

# A standalone sentence that prescribes a condition: « Les actions proposées doivent être menées … ».
_PRESCRIPTIVE = re.compile(
    r"^(?:(?:les|toutes les|l'ensemble des|ces|chaque|une|la)\s+(?:\w+\s+){0,2}?"
    r"(?:actions?|projets?|porteurs?|structures|propositions|interventions|activites?|initiatives?|priorite|attention)"
    r"\b.*\b(?:doi(?:t|vent)|devr(?:a|ont)|(?:seront|sera) (?:obligatoirement|prioritairement|menee?s?|realisee?s?|"
    r"privilegiee?s?|portee?|donnee?)|(?:est|sont) (?:attendue?s?|exigee?s?|obligatoires?))\b"
    r"|^(?:n\.?\s?b\.?|important|attention)\s*:)"
)


def _clause(text: str, start: int, end: int) -> str:
    """The clause of ``text`` around ``start:end``: its parenthesis, or its sentence, or (if long) its comma part."""
    depth_open = text.rfind("(", 0, start)
    if depth_open != -1 and text.find(")", depth_open) >= end and ")" not in text[depth_open:start]:
        close = text.find(")", end)
        return squash(text[depth_open + 1:close])
    left = max(text.rfind(c, 0, start) for c in ".;!?")
    rights = [i for i in (text.find(c, end) for c in ".;!?") if i != -1]
    right = min(rights) if rights else len(text)
    sentence = text[left + 1:right + 1 if right < len(text) and text[right] in ".!?" else right]
    if len(sentence) > 180:
        left = max(left, text.rfind(",", 0, start), text.rfind(":", 0, start))
        rights = [i for i in (text.find(c, end) for c in ",;.:") if i != -1]
        right = min(rights) if rights else len(text)
        sentence = text[left + 1:right]
    return squash(sentence).strip(" ,;:")


def find_constraints(text: str, lines: SourceSpan | None = None) -> tuple[Constraint, ...]:
    """Every constraint tag found in ``text``, once per tag, with the clause that carries it."""
    folded = fold_aligned(text)
    found: list[tuple[int, Constraint]] = []
    for tag, pattern in _CONSTRAINT_RES:
        m = pattern.search(folded)
        if m:
            found.append((m.start(), Constraint(tag=tag, text=_clause(text, m.start(), m.end()), lines=lines)))
    return tuple(c for _, c in sorted(found, key=lambda x: x[0]))


def is_prescriptive(text: str) -> bool:
    """Whether a standalone sentence sets a condition on the actions of a theme."""
    return bool(_PRESCRIPTIVE.search(soft_fold(text)))


def theme_constraints(text: str, lines: SourceSpan | None) -> tuple[Constraint, ...]:
    """A prescriptive sentence as constraints: one per tag found, or one ``other`` constraint."""
    found = find_constraints(text, lines)
    sentence = squash(text)
    if not found:
        return (Constraint(tag="other", text=sentence, lines=lines),)
    return tuple(Constraint(tag=c.tag, text=sentence, lines=lines) for c in found)


# --- label and action types -------------------------------------------------------------------------------

# Words that start a new action type after a comma (« …, valorisation des compétences, actions de … »).
_ACTION_HEADS = frozenset(
    "action actions projet projets initiative initiatives atelier ateliers sejour sejours dispositif dispositifs "
    "accompagnement valorisation promotion sensibilisation information informations mediation renforcement "
    "soutien travail creation echange echanges education citoyennete demarche demarches vegetalisation "
    "developpement organisation formation formations rencontre rencontres permanence permanences animation "
    "animations sortie sorties chantier chantiers manifestation manifestations evenement evenements "
    "temps stage stages immersion immersions visite visites campagne campagnes cafe cafes groupe groupes "
    "parcours outil outils guide guides espace espaces lieu lieux aide aides apprentissage ecoute".split()
)
_NOMINAL = re.compile(r"^[a-z]{4,}(?:tion|sion|ment|age|ite|ure)s?$")
_STOP = frozenset(
    "de d des du la le les l et ou a au aux en notamment dont qui que qu sur pour avec par dans mais y ainsi "
    "afin selon sans vers entre chez leur leurs son sa ses un une".split()
)


def _split_outside_parens(text: str, seps: str) -> list[tuple[str, str]]:
    """Split on any char of ``seps`` outside parentheses; returns (piece, separator that ended it)."""
    if "(" not in text:
        pattern = _SEP_RES.setdefault(seps, re.compile(f"[{re.escape(seps)}]"))
        pieces = pattern.split(text)
        found = pattern.findall(text)
        return [(piece, found[i] if i < len(found) else "") for i, piece in enumerate(pieces)]
    out: list[tuple[str, str]] = []
    depth = 0
    start = 0
    for m in re.finditer(f"[(){re.escape(seps)}]", text):
        c = m.group()
        if c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append((text[start:m.start()], c))
            start = m.end()
    out.append((text[start:], ""))
    return out


_SEP_RES: dict[str, re.Pattern[str]] = {}


def _first_word(piece: str) -> str:
    words = fold_aligned(piece[:40]).replace("'", " ").split()
    return re.sub(r"[^a-z]", "", words[0]) if words else ""


def _starts_new_item(piece: str) -> bool:
    word = _first_word(piece)
    if not word or word in _STOP:
        return False
    return word in _ACTION_HEADS or bool(_NOMINAL.match(word))


def split_action_types(text: str) -> tuple[str, ...]:
    """Items of an action-type list: split on « ; », on sentence ends and on commas that open a new item."""
    items: list[str] = []
    for part, _ in _split_outside_parens(text, ";"):
        for sentence in re.split(r"(?<=[a-zà-ÿ)])\.\s+(?=[A-ZÀ-Ý])", part):
            pieces = [p for p, _ in _split_outside_parens(sentence, ",")]
            enumeration = len(pieces) > 1 and all(
                0 < len(p.split()) <= 5 and _first_word(p) not in _STOP for p in pieces)
            current = pieces[0]
            for piece in pieces[1:]:
                if enumeration or _starts_new_item(piece):
                    items.append(current)
                    current = piece
                else:
                    current = current + "," + piece
            items.append(current)
    cleaned = [squash(i).strip(" ,;").rstrip(".").strip() for i in items]
    return tuple(i for i in cleaned if len(i) > 1 and not re.fullmatch(r"\W*", i))


def _label_colon(text: str) -> int:
    """Index of the colon that separates the label from the action types, or -1."""
    depth = 0
    for m in re.finditer(r"[():]", text):
        c = m.group()
        if c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            left = text[: m.start()].strip()
            if len(left) < 3 or re.fullmatch(r"(?i)n\.?\s?b\.?|ex|exemples?|cf", left):
                continue
            return m.start()
    return -1


def split_objective(text: str) -> tuple[str, tuple[str, ...]]:
    """``(label, action_types)``: the label before the first separating colon, the items after it.

    Without a colon the label is the whole text; a parenthesis that lists actions (« (actions de …, …) ») then
    gives the action types.
    """
    i = _label_colon(text)
    if i != -1 and text[i + 1:].strip():
        return squash(text[:i]).strip(" :"), split_action_types(text[i + 1:])
    label = squash(text)
    m = re.search(r"\((actions?\b[^()]*)\)", text, flags=re.IGNORECASE)
    if m:
        return label, split_action_types(m.group(1))
    return label, ()
