"""Places named in a post: reported scam-compound hubs, transit points, border crossings.

The gazetteer (``data/gazetteer.json``) lists each place with its spellings in
every script Suar reads. All spellings, with their space, hyphen and joined
forms, Vietnamese forms without diacritics and Burmese forms with the digit
zero typed for the letter wa, are looked for in the normalised, lower-cased
text: by Aho-Corasick automata (one for Latin and other always-scanned keys,
one per script for Thai, Lao, Khmer and Burmese, run from the post's first
character of that script) and, for keys in Han, kana or Hangul, by a regular
expression over their first two characters. A spelling whose first or last
character is a Latin letter or a digit must stand as a whole word there ("Muse"
never fires inside "museum"); spellings in scripts written without spaces (Thai,
Khmer, Burmese, Lao, Chinese, Japanese) and Korean match anywhere. Where matches
overlap, the leftmost and then the longest wins; a match inside one of the
place's *veto* phrases (金边眼镜, "gold-rimmed glasses", is not Phnom Penh) is
dropped.

Each match is an :class:`~suar.domain.Indicator` of kind ``"place"`` whose value
is the place id (``"kh-sihanoukville"``) and whose attrs are ``name``,
``country`` (ISO 3166-1 alpha-2), ``role`` (``"hub"``, ``"transit"`` or
``"border"``), ``confirmed`` (false when the place or the spelling rests on no
institutional source) and ``lang`` (the language of the matched spelling).
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Final

import ahocorasick
import regex

from suar.detect.hints import Hints
from suar.detect.normalize import NormalizedText, normalize
from suar.domain import Indicator
from suar.errors import DataError

log = logging.getLogger(__name__)

_DATA_FILE: Final = "gazetteer.json"

#: Languages a spelling may be filed under (BCP-47).
LANGUAGES: Final[frozenset[str]] = frozenset(
    {"en", "id", "ms", "tl", "vi", "th", "km", "my", "lo", "zh-Hans", "zh-Hant", "ko", "ja"}
)
#: What a place is to a lure: where compounds are, where victims pass, where they cross.
ROLES: Final[frozenset[str]] = frozenset({"hub", "transit", "border"})

_ID = regex.compile(r"[a-z]{2}-[a-z0-9]+(?:-[a-z0-9]+)*")
_COUNTRY = regex.compile(r"[A-Z]{2}")
# A spelling edge that is one of these needs a word boundary in the text...
_LATIN_EDGE = regex.compile(r"[\p{Latin}0-9]")
# ...and the text character beside it must not be one of these.
_WORD_CHAR = regex.compile(r"[\p{Latin}0-9_\u0300-\u036f]")
_ALL_LATIN = regex.compile(r"[\p{Latin}0-9 '\-,.]+")
_LATIN_SEPARATORS = regex.compile(r"[ '\-]+")
_SPACES = regex.compile(r"[ \u30fb]+")
# Latin spellings shorter than this are too ambiguous to match alone ("Wa").
_MIN_LATIN = 4
_MIN_OTHER = 2

# One character for one, so offsets in the folded text are offsets in nt.text.
_FOLD_APOSTROPHES = "\u2018\u2019\u02bc\u00b4\u2032"
_FOLD_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"
_FOLD: Final[tuple[tuple[str, str], ...]] = tuple(
    [(c, "'") for c in _FOLD_APOSTROPHES] + [(c, "-") for c in _FOLD_DASHES]
)

# Keys are grouped by the script of their first character. pyahocorasick looks a
# text character up among a node's children one by one, so one automaton whose
# root fans out over Latin, Thai, Khmer, Lao, Burmese, Han, kana and Hangul would be
# several times slower on every post. Latin keys (and any others) are in one
# automaton scanned on every text; the keys of each script below in one scanned
# from the text's first character of that script, if there is one. Keys in Han,
# kana or Hangul are too many for an automaton (its root would fan out over a
# hundred characters): the stdlib ``re`` skips ahead to the pairs of characters
# that begin one, and every key beginning there is compared.
_ALWAYS: Final = "always"
_SCRIPT_GROUPS: Final[tuple[tuple[str, str], ...]] = (
    ("thai", "\u0e00-\u0e7f"),
    ("lao", "\u0e80-\u0eff"),
    ("khmer", "\u1780-\u17ff\u19e0-\u19ff"),
    ("myanmar", "\u1000-\u109f\ua9e0-\ua9ff\uaa60-\uaa7f"),
)
_SCRIPTS: Final = tuple((name, re.compile(f"[{chars}]")) for name, chars in _SCRIPT_GROUPS)
_CJK: Final = re.compile(
    "[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)
# CJK keys are looked up by this many first characters.
_PREFIX: Final = 2
_ANY_SCRIPT: Final = re.compile(
    "[" + "".join(chars for _, chars in _SCRIPT_GROUPS) + _CJK.pattern[1:-1] + "]"
)


@lru_cache(maxsize=32)
def _scripts_but(found: frozenset[str]) -> re.Pattern[str] | None:
    """A class of the characters of every script group not in ``found``."""
    chars = "".join(chars for name, chars in _SCRIPT_GROUPS if name not in found)
    return re.compile(f"[{chars}]") if chars else None


def _script_starts(folded: str) -> dict[str, int]:
    """Where each script group first appears in ``folded`` (the always-scanned keys at 0).

    One scan for a text in none of the groups, one more for each group it holds.
    """
    starts = {_ALWAYS: 0}
    found: frozenset[str] = frozenset()
    pos = 0
    while (pattern := _scripts_but(found)) is not None:
        m = pattern.search(folded, pos)
        if m is None:
            break
        name = next(name for name, script in _SCRIPTS if script.match(m.group()))
        starts[name] = pos = m.start()
        found |= {name}
    return starts


def fold(text: str) -> str:
    """Lower-case ``text`` and unify apostrophes and dashes, keeping its length.

    ``str.lower`` turns a few characters into two ("İ"); those stay as they are,
    so position ``i`` of the result is always character ``i`` of ``text``.
    """
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    if not low.isascii():
        # str.replace is many times faster than str.translate with a table here.
        for char, replacement in _FOLD:
            if char in low:
                low = low.replace(char, replacement)
    return low


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry."""

    id: str
    name: str
    country: str
    role: str
    sources: tuple[str, ...]
    confirmed: bool


@dataclass(frozen=True, slots=True)
class _Spelling:
    place: int
    lang: str
    confirmed: bool
    left: bool
    right: bool
    #: the spelling as it must appear (case included), or None for any case
    exact: str | None


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """The loaded gazetteer: its places and the automaton over all their spellings."""

    places: tuple[Place, ...]
    spellings: tuple[_Spelling, ...]
    #: (script group of the keys' first characters, or "always"; automaton mapping a
    #: folded key to (key length, spelling index, or -1 - place index for a veto))
    automata: tuple[tuple[str, Any], ...]
    #: the first two characters of every key in Han, kana or Hangul, as one alternation
    finder: re.Pattern[str] | None
    #: those keys by their first two characters, with their values
    by_prefix: Mapping[str, tuple[tuple[str, tuple[int, int]], ...]]
    size: int

    def place(self, place_id: str) -> Place:
        """The place with this id (``KeyError`` when there is none)."""
        for place in self.places:
            if place.id == place_id:
                return place
        raise KeyError(place_id)


def _fail(message: str) -> DataError:
    return DataError(f"{_DATA_FILE}: {message}", file=_DATA_FILE)


def _strings(value: Any, where: str, *, allow_empty: bool = True) -> list[str]:
    if value is None and allow_empty:
        return []
    if not isinstance(value, list) or not all(isinstance(s, str) and s.strip() for s in value):
        raise _fail(f"{where} must be a list of non-empty strings")
    if not value and not allow_empty:
        raise _fail(f"{where} must not be empty")
    return value


def _normalised(spelling: str, where: str) -> str:
    nt = normalize(spelling)
    if nt.zawgyi:
        raise _fail(f"{where}: {spelling!r} reads as Zawgyi; write Burmese in Unicode")
    return nt.text


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def _variants(spelling: str) -> set[str]:
    """The forms of one normalised spelling that the automaton also looks for."""
    forms = {spelling}
    if _ALL_LATIN.fullmatch(_strip_marks(spelling)):
        forms.add(_strip_marks(spelling))
        for form in list(forms):
            if _LATIN_SEPARATORS.search(form):
                forms.update(_LATIN_SEPARATORS.sub(sep, form) for sep in (" ", "-", ""))
    else:
        forms.update(_SPACES.sub("", form) for form in list(forms))
        # Burmese typed with the digit zero for the letter wa; normalize() folds it to "0".
        forms.update(form.replace("\u101d", "0") for form in list(forms) if "\u101d" in form)
    return forms


def _place(raw: Any, i: int, known_sources: Mapping[str, Any], seen: set[str]) -> Place:
    if not isinstance(raw, dict):
        raise _fail(f"places[{i}] must be an object")
    pid = raw.get("id")
    if not isinstance(pid, str) or not _ID.fullmatch(pid):
        raise _fail(f"places[{i}].id must look like 'kh-sihanoukville', not {pid!r}")
    if pid in seen:
        raise _fail(f"place id {pid!r} is used twice")
    seen.add(pid)
    name, country, role = raw.get("name"), raw.get("country"), raw.get("role")
    if not isinstance(name, str) or not name.strip():
        raise _fail(f"{pid}: 'name' must be a non-empty string")
    if not isinstance(country, str) or not _COUNTRY.fullmatch(country):
        raise _fail(f"{pid}: 'country' must be an ISO 3166-1 alpha-2 code, not {country!r}")
    if role not in ROLES:
        raise _fail(f"{pid}: 'role' must be one of {sorted(ROLES)}, not {role!r}")
    sources = _strings(raw.get("sources"), f"{pid}.sources")
    unknown = [s for s in sources if s not in known_sources]
    if unknown:
        raise _fail(f"{pid}: unknown source keys {unknown}")
    confirmed = raw.get("confirmed")
    if not isinstance(confirmed, bool):
        raise _fail(f"{pid}: 'confirmed' must be true or false")
    if confirmed and not sources:
        raise _fail(f"{pid}: a confirmed place needs at least one source")
    return Place(pid, name, country, role, tuple(sources), confirmed)


def _build(raw: Any) -> Gazetteer:
    if not isinstance(raw, dict) or not isinstance(raw.get("places"), list):
        raise _fail("the top level must be an object with a 'places' list")
    known_sources = raw.get("sources")
    if not isinstance(known_sources, dict):
        raise _fail("'sources' must map source keys to titles")
    places: list[Place] = []
    spellings: list[_Spelling] = []
    keys: dict[str, tuple[int, int]] = {}  # folded key -> (length, value)
    owner: dict[str, int] = {}  # folded key -> place index
    seen_ids: set[str] = set()
    vetoes: list[tuple[str, int]] = []
    for i, entry in enumerate(raw["places"]):
        place = _place(entry, i, known_sources, seen_ids)
        p = len(places)
        places.append(place)
        names = entry.get("names")
        if not isinstance(names, dict) or not names:
            raise _fail(f"{place.id}: 'names' must map languages to spellings")
        all_spellings = [
            s
            for lang, values in names.items()
            for s in _strings(values, f"{place.id}.names.{lang}", allow_empty=False)
        ]
        extras = {}
        for field in ("unconfirmed", "exact_case"):
            extras[field] = set(_strings(entry.get(field), f"{place.id}.{field}"))
            stray = extras[field].difference(all_spellings)
            if stray:
                raise _fail(
                    f"{place.id}.{field} lists {sorted(stray)}, which are not among its names"
                )
        for lang, values in names.items():
            if lang not in LANGUAGES:
                raise _fail(
                    f"{place.id}: unknown language {lang!r} (use one of {sorted(LANGUAGES)})"
                )
            for spelling in values:
                where = f"{place.id}.names.{lang}"
                base = _normalised(spelling, where)
                latin = bool(_ALL_LATIN.fullmatch(_strip_marks(base)))
                if len(base) < (_MIN_LATIN if latin else _MIN_OTHER):
                    raise _fail(f"{where}: {spelling!r} is too short to match on its own")
                exact = spelling in extras["exact_case"]
                confirmed = place.confirmed and spelling not in extras["unconfirmed"]
                for form in sorted(_variants(base)):
                    key = fold(form)
                    if key in owner:
                        if owner[key] != p:
                            raise _fail(
                                f"{place.id}: spelling {form!r} already belongs to {places[owner[key]].id}"
                            )
                        continue
                    owner[key] = p
                    keys[key] = (len(key), len(spellings))
                    spellings.append(
                        _Spelling(
                            place=p,
                            lang=lang,
                            confirmed=confirmed,
                            left=bool(_LATIN_EDGE.match(form[0])),
                            right=bool(_LATIN_EDGE.match(form[-1])),
                            exact=form if exact else None,
                        )
                    )
        for phrase in _strings(entry.get("veto"), f"{place.id}.veto"):
            vetoes.append((fold(_normalised(phrase, f"{place.id}.veto")), p))
    for key, p in vetoes:
        if key in keys:
            raise _fail(f"{places[p].id}: veto {key!r} is also a spelling")
        keys[key] = (len(key), -1 - p)
    groups: dict[str, dict[str, tuple[int, int]]] = {}
    by_prefix: dict[str, list[tuple[str, tuple[int, int]]]] = {}
    for key, value in keys.items():
        if _CJK.match(key):
            if len(key) < _PREFIX:
                raise _fail(f"{key!r} is too short to match on its own")
            by_prefix.setdefault(key[:_PREFIX], []).append((key, value))
            continue
        group = next((name for name, script in _SCRIPTS if script.match(key)), _ALWAYS)
        groups.setdefault(group, {})[key] = value
    # A flat alternation of short literals lets re skip ahead to the characters that
    # can start one; a nested trie would be tried at every position.
    finder = "|".join(re.escape(prefix) for prefix in sorted(by_prefix, key=len, reverse=True))
    return Gazetteer(
        places=tuple(places),
        spellings=tuple(spellings),
        automata=tuple((group, _automaton(members)) for group, members in sorted(groups.items())),
        finder=re.compile(finder) if finder else None,
        by_prefix={prefix: tuple(members) for prefix, members in by_prefix.items()},
        size=len(keys),
    )


def _automaton(keys: Mapping[str, tuple[int, int]]) -> Any:
    automaton = ahocorasick.Automaton()
    for key, value in keys.items():
        automaton.add_word(key, value)
    automaton.make_automaton()
    return automaton


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded and checked on first use.

    Raises :class:`~suar.errors.DataError` naming the entry when the data file
    is malformed: an unknown language, role, country or source key, a spelling
    claimed by two places, a spelling too short to match on its own.
    """
    try:
        text = resources.files("suar.detect.data").joinpath(_DATA_FILE).read_text("utf-8")
        raw = json.loads(text)
    except (OSError, ValueError) as exc:
        raise _fail(f"cannot be read: {exc}") from exc
    loaded = _build(raw)
    log.debug("gazetteer: %d places, %d automaton keys", len(loaded.places), loaded.size)
    return loaded


def _boundary_ok(folded: str, start: int, end: int, spelling: _Spelling) -> bool:
    if spelling.left and start > 0 and _WORD_CHAR.match(folded, start - 1):
        return False
    return not (spelling.right and end < len(folded) and _WORD_CHAR.match(folded, end))


def _found(
    g: Gazetteer,
    text: str,
    folded: str,
    start: int,
    end: int,
    value: int,
    found: list[tuple[int, int, _Spelling]],
    vetoed: list[tuple[int, int, int]],
) -> None:
    if value < 0:
        vetoed.append((start, end, -1 - value))
        return
    spelling = g.spellings[value]
    if not _boundary_ok(folded, start, end, spelling):
        return
    if spelling.exact is not None and text[start:end] != spelling.exact:
        return
    found.append((start, end, spelling))


def extract_places(nt: NormalizedText, hints: Hints) -> Iterator[Indicator]:
    """Yield a ``place`` indicator for every gazetteer place named in the text.

    Spans are in the original text; overlapping names yield the leftmost, then
    longest. ``hints`` are not used: a place is a place in any language.
    """
    g = gazetteer()
    text = nt.text
    folded = fold(text)
    found: list[tuple[int, int, _Spelling]] = []
    vetoed: list[tuple[int, int, int]] = []
    other = not folded.isascii() and _ANY_SCRIPT.search(folded) is not None
    starts = _script_starts(folded) if other else {_ALWAYS: 0}
    for group, automaton in g.automata:
        begin = starts.get(group)
        if begin is None:
            continue
        for last, (length, value) in automaton.iter(folded, begin):
            _found(g, text, folded, last + 1 - length, last + 1, value, found, vetoed)
    if g.finder is not None and other:
        pos = 0
        while (m := g.finder.search(folded, pos)) is not None:
            pos = m.start()
            for key, (length, value) in g.by_prefix[m.group()]:
                if folded.startswith(key, pos):
                    _found(g, text, folded, pos, pos + length, value, found, vetoed)
            pos += 1
    if not found:
        return

    if vetoed:
        found = [
            f
            for f in found
            if not any(p == f[2].place and vs <= f[0] and f[1] <= ve for vs, ve, p in vetoed)
        ]
    found.sort(key=lambda f: (f[0], f[0] - f[1]))
    taken = 0
    for start, end, spelling in found:
        if start < taken:
            continue
        taken = end
        place = g.places[spelling.place]
        yield Indicator(
            kind="place",
            value=place.id,
            span=nt.to_original(start, end),
            attrs={
                "name": place.name,
                "country": place.country,
                "role": place.role,
                "confirmed": spelling.confirmed,
                "lang": spelling.lang,
            },
        )
