"""What changed between two versions of a framework: neighbourhoods, themes and objectives added, removed, modified.

Pure functions on ``Framework`` dataclasses, no Django. Neighbourhoods are matched by official code, then by
name; themes by title, then by canonical theme; objectives by content key (same text, possibly moved to another
theme of the same neighbourhood), then by word similarity for the modified ones, whose text changes are given
word by word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal, TypeVar

from quartiers.engine.framework import Framework, Neighbourhood, Objective, Theme

Status = Literal["added", "removed", "modified", "moved", "unchanged"]

# Below this word similarity, a removed and an added objective are two different objectives.
SIMILARITY_THRESHOLD = 0.5


@dataclass(frozen=True, slots=True)
class WordOp:
    """A run of words of a text diff: ``equal``, ``insert`` (only in the new text) or ``delete`` (only in the old)."""

    op: Literal["equal", "insert", "delete"]
    text: str


@dataclass(frozen=True, slots=True)
class ObjectiveChange:
    status: Status
    old: Objective | None = None
    new: Objective | None = None
    similarity: float = 1.0
    words: tuple[WordOp, ...] = ()
    old_theme: str = ""  # for a moved objective: the title of the theme it came from


@dataclass(frozen=True, slots=True)
class ThemeDiff:
    status: Status  # added, removed, modified (objectives or title changed) or unchanged
    title: str
    old_title: str = ""
    canonical_theme: str = "other"
    changes: tuple[ObjectiveChange, ...] = ()
    unchanged: int = 0

    @property
    def renamed(self) -> bool:
        return bool(self.old_title) and self.old_title != self.title


@dataclass(frozen=True, slots=True)
class NeighbourhoodDiff:
    status: Status
    name: str
    code: str = ""
    themes: tuple[ThemeDiff, ...] = ()


@dataclass(frozen=True, slots=True)
class FrameworkDiff:
    neighbourhoods: tuple[NeighbourhoodDiff, ...] = ()

    def count(self, status: Status) -> int:
        """Objectives with this status (themes added or removed count their objectives)."""
        return sum(1 for n in self.neighbourhoods for t in n.themes for c in t.changes if c.status == status)

    @property
    def is_empty(self) -> bool:
        return all(n.status == "unchanged" for n in self.neighbourhoods)


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _words(text: str) -> list[str]:
    return text.split()


def similarity(a: str, b: str) -> float:
    """Word-level similarity in [0, 1], insensitive to case, accents and punctuation."""
    return SequenceMatcher(None, fold(a).split(), fold(b).split(), autojunk=False).ratio()


def word_diff(old: str, new: str) -> tuple[WordOp, ...]:
    """The words kept, deleted and inserted from ``old`` to ``new``; consecutive words of a kind are one run."""
    a, b = _words(old), _words(new)
    ops: list[WordOp] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(WordOp("equal", " ".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            ops.append(WordOp("delete", " ".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            ops.append(WordOp("insert", " ".join(b[j1:j2])))
    return tuple(ops)


T = TypeVar("T")


def _pair_by(olds: Sequence[T], news: Sequence[T], keys: Callable[[T], str | None]) -> list[tuple[T, T]]:
    """Pairs (old, new) with equal keys, in order; each element used once. ``keys`` gives a key or None."""
    pairs = []
    free = list(news)
    for o in olds:
        k = keys(o)
        if k is None:
            continue
        for index, n in enumerate(free):
            if keys(n) == k:
                pairs.append((o, n))
                del free[index]
                break
    return pairs


def _neighbourhood_key(n: Neighbourhood) -> str:
    return n.code.upper() if n.code else "name:" + fold(n.name)


def _theme_pairs(olds: tuple[Theme, ...], news: tuple[Theme, ...]) -> list[tuple[Theme, Theme]]:
    pairs = _pair_by(list(olds), list(news), lambda t: fold(t.title))
    rest_old = [t for t in olds if all(t is not p[0] for p in pairs)]
    rest_new = [t for t in news if all(t is not p[1] for p in pairs)]
    # A renamed theme: the only one of its canonical theme left on each side.
    for o in rest_old:
        same_old = [t for t in rest_old if t.canonical_theme == o.canonical_theme]
        same_new = [t for t in rest_new if t.canonical_theme == o.canonical_theme]
        if len(same_old) == 1 and len(same_new) == 1 and o.canonical_theme != "other":
            pairs.append((o, same_new[0]))
    return pairs


def _neighbourhood_diff(old: Neighbourhood | None, new: Neighbourhood | None, threshold: float) -> NeighbourhoodDiff:
    old_themes = old.themes if old else ()
    new_themes = new.themes if new else ()
    theme_pairs = _theme_pairs(old_themes, new_themes)
    new_of_old = {id(o): n for o, n in theme_pairs}
    old_of_new = {id(n): o for o, n in theme_pairs}

    # Objectives, with the theme they sit in, across the whole neighbourhood.
    olds = [(t, o) for t in old_themes for o in t.objectives]
    news = [(t, o) for t in new_themes for o in t.objectives]
    changes: dict[int, list[ObjectiveChange]] = {}  # id(theme) → changes, the theme being new if it exists there
    unchanged: dict[int, int] = {}
    matched_old: set[int] = set()
    matched_new: set[int] = set()

    def home(old_theme: Theme | None, new_theme: Theme | None) -> int:
        return id(new_theme) if new_theme is not None else id(old_theme)

    # 1. Same text (same content key): unchanged, or moved when its theme is not the counterpart of the old one.
    for j, (nt, no) in enumerate(news):
        for i, (ot, oo) in enumerate(olds):
            if i in matched_old or oo.key != no.key:
                continue
            matched_old.add(i)
            matched_new.add(j)
            if new_of_old.get(id(ot)) is nt:
                unchanged[id(nt)] = unchanged.get(id(nt), 0) + 1
            else:
                changes.setdefault(id(nt), []).append(
                    ObjectiveChange("moved", old=oo, new=no, old_theme=ot.title))
            break

    # 2. Similar text: modified, best pairs first, same theme preferred on ties.
    candidates = []
    for i, (ot, oo) in enumerate(olds):
        if i in matched_old:
            continue
        for j, (nt, no) in enumerate(news):
            if j in matched_new:
                continue
            score = similarity(oo.text, no.text)
            if score >= threshold:
                candidates.append((-score, 0 if new_of_old.get(id(ot)) is nt else 1, i, j))
    for neg_score, _, i, j in sorted(candidates):
        if i in matched_old or j in matched_new:
            continue
        matched_old.add(i)
        matched_new.add(j)
        (ot, oo), (nt, no) = olds[i], news[j]
        changes.setdefault(id(nt), []).append(ObjectiveChange(
            "modified", old=oo, new=no, similarity=round(-neg_score, 3), words=word_diff(oo.text, no.text),
            old_theme=ot.title if new_of_old.get(id(ot)) is not nt else ""))

    # 3. The rest: added and removed.
    for j, (nt, no) in enumerate(news):
        if j not in matched_new:
            changes.setdefault(id(nt), []).append(ObjectiveChange("added", new=no))
    for i, (ot, oo) in enumerate(olds):
        if i not in matched_old:
            changes.setdefault(home(ot, new_of_old.get(id(ot))), []).append(ObjectiveChange("removed", old=oo))

    def order(c: ObjectiveChange, theme: Theme) -> int:
        target = c.new if c.new is not None else c.old
        objectives = list(theme.objectives)
        return next((k for k, o in enumerate(objectives) if o is target), len(objectives))

    themes: list[ThemeDiff] = []
    for nt in new_themes:
        counterpart = old_of_new.get(id(nt))

        def rank(c: ObjectiveChange, nt: Theme = nt, ot: Theme | None = counterpart) -> int:
            if c.new is not None:
                return order(c, nt)
            return order(c, ot) if ot is not None else 0

        theme_changes = tuple(sorted(changes.get(id(nt), []), key=rank))
        if counterpart is None:
            status: Status = "added"
        elif (theme_changes or fold(counterpart.title) != fold(nt.title)
              or counterpart.canonical_theme != nt.canonical_theme):
            status = "modified"
        else:
            status = "unchanged"
        themes.append(ThemeDiff(status, nt.title, old_title=counterpart.title if counterpart else "", canonical_theme=nt.canonical_theme,
                                changes=theme_changes, unchanged=unchanged.get(id(nt), 0)))
    for removed in old_themes:
        if id(removed) not in new_of_old:
            themes.append(ThemeDiff("removed", removed.title, old_title=removed.title,
                                    canonical_theme=removed.canonical_theme, changes=tuple(changes.get(id(removed), []))))

    ref = new if new is not None else old
    assert ref is not None
    if old is None:
        n_status: Status = "added"
    elif new is None:
        n_status = "removed"
    else:
        n_status = "unchanged" if all(t.status == "unchanged" for t in themes) else "modified"
    return NeighbourhoodDiff(n_status, ref.name, code=ref.code, themes=tuple(themes))


def framework_diff(old: Framework, new: Framework, *, threshold: float = SIMILARITY_THRESHOLD) -> FrameworkDiff:
    """What changed from ``old`` to ``new``, neighbourhood by neighbourhood, in the order of ``new``."""
    pairs = _pair_by(list(old.neighbourhoods), list(new.neighbourhoods), _neighbourhood_key)
    old_of_new = {id(n): o for o, n in pairs}
    matched_old = {id(o) for o, _ in pairs}
    out = [_neighbourhood_diff(old_of_new.get(id(n)), n, threshold) for n in new.neighbourhoods]
    out += [_neighbourhood_diff(o, None, threshold) for o in old.neighbourhoods if id(o) not in matched_old]
    return FrameworkDiff(tuple(out))
