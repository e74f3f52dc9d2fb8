"""What typed text finds: one folding of case and accents for every search in the app.

The dashboard's `/` filter, the person picker and the palette's "Go to task…" search all
compare :func:`fold`-ed text, so a query finds the same things everywhere: ``zoe`` finds
"Zoë", ``reunion`` finds "Réunion", ``strasse`` finds "Straße", ``lodz`` finds "Łódź", and
a query typed with its accents (``zoë``) still finds both "Zoë" and "Zoe".

Folding decomposes each character (NFKD: "é" into "e" and an acute, "ﬁ" into "fi", a
full-width digit into its plain one), drops the combining diacritics, casefolds, and
spells a few Latin letters with a stroke by their plain letter (NFKD keeps "ł", "ø", "đ"
whole).

Cyrillic follows the same rule, so "ё" loses its dots: Russian writes it without them as a
matter of course (a person types "елка" for "Ёлка"), and search engines treat the two
alike. "й" stays a letter of its own, and so do Ukrainian "ї" and Belarusian "ў", although
Unicode decomposes each into another letter and a mark: each has its own key on its
alphabet's keyboard, so people type it, and folding it would turn different words into one
("мой" would find "мои", "свой" every "свои"). Marks outside the diacritic blocks (kana
voicing marks, Indic vowel signs) are kept too: they make another letter, not an accent.

Nothing here imports Textual; :func:`fold_with_offsets` maps folded text back to the
original characters, so a highlight marks what the person sees, not what was compared.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

__all__ = [
    "fold",
    "fold_with_offsets",
    "has_words",
    "matches_words",
    "original_spans",
    "query_words",
]

_KEPT: dict[str, str] = {
    "й": "й",
    "Й": "й",
    "ї": "ї",
    "Ї": "ї",
    "ў": "ў",
    "Ў": "ў",
}
"""Letters that Unicode decomposes but that fold to themselves (lower-cased)."""

_STROKES: dict[str, str] = {
    "ł": "l",
    "ø": "o",
    "đ": "d",
    "ħ": "h",
    "ŧ": "t",
    "\u0131": "i",  # dotless i
    "æ": "ae",
    "œ": "oe",
}
"""Lower-case Latin letters NFKD leaves whole, spelt as a keyboard without them would."""

_DIACRITICS: tuple[tuple[int, int], ...] = (
    (0x0300, 0x036F),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
)
"""The Unicode blocks of combining diacritical marks (accents, not letters)."""


def _is_diacritic(char: str) -> bool:
    code = ord(char)
    return any(start <= code <= end for start, end in _DIACRITICS)


def _strip(text: str) -> str:
    return "".join(part for part in unicodedata.normalize("NFKD", text) if not _is_diacritic(part))


def _fold_char(char: str) -> str:
    """One character folded; "" for a diacritic on its own."""
    kept = _KEPT.get(char)
    if kept is not None:
        return kept
    folded = _strip(_strip(char).casefold())
    return "".join(_STROKES.get(part, part) for part in folded)


class _FoldTable(dict[int, str]):
    """Each code point's folding, worked out the first time it is met (for ``str.translate``,
    several times faster than folding character by character in Python)."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLDS = _FoldTable()


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """``text`` folded (see :func:`fold`), and for each folded character the index in
    ``text`` of the character it comes from.

    Folding can change the length ("ß" becomes "ss", "é" written as "e" and an accent
    becomes "e"), so an offset into the folded text is not an offset into ``text``;
    ``owners[i]`` is. A diacritic written as its own character belongs to no folded
    character, except one that makes a kept letter ("и" and a breve is "й").
    """
    folded: list[str] = []
    owners: list[int] = []
    for index, char in enumerate(text):
        part = _FOLDS[ord(char)]
        if part:
            folded.append(part)
            owners.extend([index] * len(part))
            continue
        if index and owners and owners[-1] == index - 1:
            composed = _KEPT.get(unicodedata.normalize("NFC", text[index - 1] + char))
            if composed is not None:
                folded[-1] = composed
    return "".join(folded), owners


@lru_cache(maxsize=32768)
def fold(text: str) -> str:
    """``text`` as searches compare it: without case or accents (see the module's notes).

    Cached: the palette folds every task's label on each keystroke.
    """
    if text.isascii():
        return text.lower()
    # Composing first joins a kept letter written in parts ("и" and a breve) into one.
    return unicodedata.normalize("NFC", text).translate(_FOLDS)


def original_spans(text: str, owners: Sequence[int], offsets: Iterable[int]) -> list[range]:
    """The characters of ``text`` behind ``offsets`` into its folded form, in order.

    Each span is one character of ``text`` with the diacritics written after it, so a
    highlight never splits a letter from its accent; a character behind several folded
    ones ("ß" matched by "ss") is one span.
    """
    starts = sorted({owners[offset] for offset in offsets})
    spans = []
    for start in starts:
        end = start + 1
        while end < len(text) and _is_diacritic(text[end]):
            end += 1
        spans.append(range(start, end))
    return spans


def query_words(query: str) -> list[str]:
    """The folded words of a typed query (split on any whitespace)."""
    return fold(query).split()


def has_words(folded_haystack: str, words: Iterable[str]) -> bool:
    """Whether every one of ``words`` occurs in ``folded_haystack`` (both already folded)."""
    return all(word in folded_haystack for word in words)


def matches_words(query: str, *fields: str) -> bool:
    """Whether every word of ``query`` occurs, folded, within one of ``fields``."""
    haystack = "\n".join(fold(field) for field in fields)
    return has_words(haystack, query_words(query))
