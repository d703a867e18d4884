"""Find a neighbourhood of a framework from what a person types: a code, part of its name or of its commune's."""

from __future__ import annotations

import re
from collections.abc import Callable

from quartiers.engine.framework import Framework, Neighbourhood
from quartiers.engine.matching.normalise import key
from quartiers.engine.matching.types import MatchingError

_CODE_RE = re.compile(r"^Q[A-Z]\d{4,6}[A-Z]?$", re.IGNORECASE)


def _describe(n: Neighbourhood) -> str:
    where = f" ({n.commune})" if n.commune and key(n.commune) not in key(n.name) else ""
    code = f" [{n.code}]" if n.code else ""
    return f"« {n.name} »{where}{code}"


def _contains(haystack: str, needle: str) -> bool:
    return f" {needle} " in f" {haystack} "


def find_neighbourhood(framework: Framework, selector: str) -> Neighbourhood:
    """The one neighbourhood ``selector`` designates.

    ``selector`` is an official code (« QN03002M »), or any unambiguous part of the neighbourhood's name, of its
    commune's name or of its heading, compared case-, accent-, apostrophe- and hyphen-insensitively, on whole
    words: « Alès », « Grand'Combe », « saint ambroix ». Candidates are tried in order — code, exact name or
    commune, words of the name or commune, words of the heading — and the first level that gives exactly one
    neighbourhood wins. Raises :class:`MatchingError` (French message) when the selector is empty, unknown or
    ambiguous.
    """
    wanted = key(selector or "")
    if not wanted:
        raise MatchingError("Quartier non précisé : indiquez un code QPV (par exemple QN03002M) ou un nom.")
    hoods = framework.neighbourhoods
    if not hoods:
        raise MatchingError("Le cadre ne contient aucun quartier.")
    code = selector.strip().upper()
    levels: list[Callable[[], list[Neighbourhood]]] = []  # tried in order, lazily: frameworks can be national
    if _CODE_RE.match(code):
        levels.append(lambda: [n for n in hoods if n.code and n.code.upper() == code])
    levels.append(lambda: [n for n in hoods if wanted in {key(n.name), key(n.commune), key(n.code)}])
    levels.append(lambda: [n for n in hoods if _contains(key(n.name), wanted) or _contains(key(n.commune), wanted)])
    levels.append(lambda: [n for n in hoods if _contains(key(n.heading), wanted)])
    for level in levels:
        unique = list({id(n): n for n in level()}.values())  # by identity: hashing a whole neighbourhood is slow
        if len(unique) == 1:
            return unique[0]
        if len(unique) > 1:
            names = ", ".join(_describe(n) for n in unique[:6])
            more = " …" if len(unique) > 6 else ""
            raise MatchingError(
                f"Quartier ambigu : « {selector} » désigne plusieurs quartiers ({names}{more}). "
                "Précisez le nom ou indiquez le code QPV."
            )
    known = ", ".join(_describe(n) for n in hoods[:8])
    more = " …" if len(hoods) > 8 else ""
    raise MatchingError(f"Quartier inconnu : « {selector} ». Quartiers du cadre : {known}{more}.")
