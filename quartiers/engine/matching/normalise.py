"""French text normalisation for matching: cleaning, folding, elisions, stop words and stemming.

Every step is a small pure function. The pipeline used everywhere (objectives, proposals, lexicon phrases) is
:func:`analyse`, which returns the tokens of a text with their surface form, so evidence can quote the proposal:

    clean → casefold (œ→oe, æ→ae, typographic apostrophes) → split (hyphens and apostrophes are separators)
    → drop elided articles/pronouns (l', d', qu', jusqu'…) → drop stop words → stem (Snowball French, PyStemmer)
    → fold accents of the stem.

Plurals: Snowball French leaves some plurals alone (« emplois », « vélos ») and sometimes stems a singular
further than its plural (« loisir » → lois, « loisirs » → loisir). :func:`stem` therefore stems the word and its
form without a final s/x and keeps the shorter stem, which maps singular and plural to the same key.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

# Texts longer than this are cut before analysis: an application's description is a few thousand characters;
# anything beyond is pasted material that would only add noise and time.
MAX_CHARS = 20_000

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "′": "'"})
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})
_SCRIPT_RE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^>]{0,500}>")
_WORD_RE = re.compile(r"[0-9a-zà-öø-ÿ]+", re.IGNORECASE)
_ELIDED = frozenset({"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu"})

# French function words (folded, without accents), plus a few words that carry no topic in an application.
STOP_WORDS: frozenset[str] = frozenset(
    """
    a au aux avec ce ces cet cette ceci cela ca celle celles celui ceux chaque comme dans de des du elle elles en
    entre et etc eux il ils je la le les leur leurs lui ma mais me meme memes mes moi mon ne ni nos notre nous on
    ou par pas pendant plus pour qu que quel quelle quelles quels qui sa sans se ses si son sont sur ta te tes toi
    ton tous tout toute toutes tu un une unes uns vos votre vous y ete etre est sera seront ont avons avez avait
    etaient ai as avoir fait faire font sont soit sous ainsi afin alors aussi autre autres apres avant car cependant
    dont donc dela deja encore enfin ici jusque lors lorsque malgre moins peu peut peuvent plusieurs puis quand
    selon sinon tant tel telle tels telles tres trop via durant voire chez depuis dessus dessous parmi pres
    notamment egalement partir
    """.split()
)
# « vers » is kept: it carries « aller-vers » (outreach), a key phrase of the field.

# Word families Snowball keeps apart although an annex and an application use them for the same thing
# (« scolarité » / « scolaire », « jeunesse » / « jeunes », « ados » / « adolescents »): folded stem → family stem.
FAMILIES: dict[str, str] = {
    "scolair": "scolar", "scolaris": "scolar",
    "culturel": "cultur",
    "sportiv": "sport", "sportif": "sport",
    "jeuness": "jeun",
    "parental": "parent",
    "alimentair": "aliment",
    "ado": "adolescent", "adolescent": "adolescent", "adolescenc": "adolescent",
    "citoyennet": "citoyen",
    "entrepreneuriat": "entrepren", "entreprendr": "entrepren", "entrepreneur": "entrepren",
    "sanitair": "sant",
    "mediateur": "mediat", "mediatric": "mediat",
    "environnemental": "environ",
    "familial": "famill",
    "enfanc": "enfant",
    "securitair": "secur",
    "intergenerationnel": "intergener", "intergenerationnell": "intergener",
    "benevol": "benevol", "benevolat": "benevol",
    "numeriqu": "numer",
}

# Words Snowball stems onto an unrelated word: « concertation » → concert (a concert is a show).
OVERRIDES: dict[str, str] = {"concertation": "concertation", "concertations": "concertation",
                             "concerter": "concertation", "concerte": "concertation", "concertee": "concertation",
                             "concertees": "concertation", "concertes": "concertation"}

_STEMMER = Stemmer.Stemmer("french")


@dataclass(frozen=True, slots=True)
class Token:
    """One content word: its stem (the matching key) and its surface form in the original text."""

    stem: str
    surface: str
    position: int  # index among the words of the text, stop words included


def clean(text: str) -> str:
    """Remove markup, unescape HTML entities, normalise Unicode and whitespace, cut overly long texts."""
    text = text[: MAX_CHARS * 2]
    if "<" in text:
        text = _SCRIPT_RE.sub(" ", text)
        text = _TAG_RE.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    text = " ".join(text.split())
    return text[:MAX_CHARS]


def fold(text: str) -> str:
    """Casefold, expand ligatures and strip accents: « Œuvre à l'École » → « oeuvre a l'ecole »."""
    text = text.translate(_LIGATURES).translate(_APOSTROPHES).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Lowercased words with ligatures expanded, accents kept, elided prefixes (l', qu'…) removed.

    Hyphens and apostrophes separate words: « aller-vers » → aller, vers ; « d'accès » → accès.
    """
    text = text.translate(_LIGATURES).translate(_APOSTROPHES).casefold()
    return [w for w in _WORD_RE.findall(text) if w not in _ELIDED]


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """Stem of a lowercased word, accents folded; singular and plural share their stem."""
    override = OVERRIDES.get(fold(word))
    if override is not None:
        return override
    candidates = [_STEMMER.stemWord(word)]
    if len(word) > 3 and word[-1] in "sx" and word[-2] != "s":
        candidates.append(_STEMMER.stemWord(word[:-1]))
    best = fold(min(candidates, key=len))
    return FAMILIES.get(best, best)


@lru_cache(maxsize=65_536)
def is_stop(word: str) -> bool:
    f = fold(word)
    return f in STOP_WORDS or len(f) < 2 or f.isdigit()


def analyse(text: str) -> list[Token]:
    """Content tokens of a text, in order, with their surface forms (see the module docstring)."""
    out: list[Token] = []
    for i, w in enumerate(words(text)):
        if is_stop(w):
            continue
        out.append(Token(stem=stem(w), surface=w, position=i))
    return out


def stems(text: str) -> list[str]:
    return [t.stem for t in analyse(text)]


def key(text: str) -> str:
    """A comparison key for names: folded, punctuation and hyphens as single spaces (« Grand'Combe » → grand combe)."""
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))
