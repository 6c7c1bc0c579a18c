"""The language of a post, offline, among the languages Suar covers.

1. A script used by one covered language alone decides (Thai, Khmer, Lao,
   Burmese, Hangul, kana: :func:`suar.detect.script.script_language`). Han
   without kana is Chinese; the marker characters of the ``zh-Hans`` and
   ``zh-Hant`` packs (characters written differently in the two) tell
   ``zh-Hans`` from ``zh-Hant``, and plain ``zh`` is returned when they do not.
2. Latin letters only Vietnamese uses (``ơ ư ă đ`` and the tone-marked vowels
   of Latin Extended Additional) decide too, when they are frequent enough:
   Vietnamese typed with its diacritics is recognised without a model.
3. The frequent function words of English, Malay/Indonesian, Tagalog and
   Vietnamese typed without diacritics (``data/function_words.json``) vote,
   over a sample of the text with links, handles, e-mail addresses and digits
   taken out; a clear winner (at least :data:`VOTE_MIN` words, and
   :data:`VOTE_MARGIN` times the runner-up) decides without a model.
   Otherwise py3langid, restricted to the covered languages, reads
   :data:`SAMPLE_CHARS` characters of that sample (it costs a table look-up
   per byte, in Python).
4. Malay and Indonesian share most of their words and py3langid often mixes
   them up. When the vote or py3langid answers either, the marker words of the ``id`` and ``ms``
   packs (``uang``/``wang``, ``gratis``/``percuma``, ``kantor``/``pejabat``,
   ``Rp``/``RM`` ...) are counted, and the language with more of them wins; on
   a tie py3langid's answer stands.
5. Too little text to judge (fewer than :data:`MIN_LETTERS` letters outside
   the decisive scripts) gives ``"und"``.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from suar.detect.flags import code_points
from suar.detect.script import script_counts, script_language
from suar.detect.vocabulary import pack_for

logger = logging.getLogger(__name__)

#: The languages a post can be identified as (ISO 639-1), besides ``und``.
COVERED: Final[tuple[str, ...]] = (
    "en", "id", "ms", "tl", "vi", "th", "km", "my", "lo", "zh", "ko", "ja",
)  # fmt: skip
#: Fewer letters than this (after links, handles and digits are removed) is "und".
MIN_LETTERS: Final = 12
#: py3langid reads at most this many characters: enough to decide, and it costs per byte.
SAMPLE_CHARS: Final = 120
#: Malay and Indonesian marker words are counted in at most this many characters.
MARKER_CHARS: Final = 600
UNDETERMINED: Final = "und"

# Links, e-mail addresses, handles and numbers say nothing of the language.
_NOISE = re.compile(r"https?://\S+|www\.\S+|[@#]\w+|\d+")
_NOT_LETTERS = re.compile(r"[\W\d_]+")
# Letters of Vietnamese and of no other covered language.
_VIETNAMESE = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]")
#: Share of the letters that must be Vietnamese-only for Vietnamese to be decided so.
VIETNAMESE_SHARE: Final = 0.03
# Malay and Indonesian are written in ASCII letters.
_ASCII_WORD = re.compile(r"[a-z]+")
_WORD = re.compile(r"[^\W\d_]+")
#: The function words decide when the leading language has at least this many of them ...
VOTE_MIN: Final = 4
#: ... and at least this many times as many as the runner-up.
VOTE_MARGIN: Final = 3


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(COVERED))
    return identifier


def _pack_markers(lang: str) -> frozenset[str]:
    pack = pack_for(lang)
    return pack.markers if pack is not None else frozenset()


@lru_cache(maxsize=1)
def _word_votes() -> dict[str, int]:
    """Each marker word's vote: +1 Indonesian, -1 Malay (0 when both packs list it)."""
    votes: dict[str, int] = {}
    for lang, vote in (("id", 1), ("ms", -1)):
        for word in _pack_markers(lang):
            votes[word] = votes.get(word, 0) + vote
    return votes


@lru_cache(maxsize=1)
def _han_markers() -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    tables = []
    for lang in ("zh-Hans", "zh-Hant"):
        table = np.zeros(0x10000, dtype=np.bool_)
        for char in _pack_markers(lang):
            if len(char) == 1 and ord(char) < 0x10000:
                table[ord(char)] = True
        tables.append(table)
    return tables[0], tables[1]


def chinese_variant(text: str) -> str:
    """``zh-Hans`` or ``zh-Hant`` by the marker characters present, else ``zh``."""
    simplified, traditional = _han_markers()
    points = np.minimum(code_points(text), 0xFFFF)
    simp = int(np.count_nonzero(simplified[points]))
    trad = int(np.count_nonzero(traditional[points]))
    if simp > trad:
        return "zh-Hans"
    if trad > simp:
        return "zh-Hant"
    return "zh"


def _markers_say(text: str) -> str | None:
    """``id`` or ``ms`` by the marker words of each pack, or None on a tie."""
    votes = _word_votes()
    words = _ASCII_WORD.findall(text[:MARKER_CHARS].lower())
    score = sum(filter(None, map(votes.get, words)))
    if score > 0:
        return "id"
    if score < 0:
        return "ms"
    return None


def malay_or_indonesian(text: str, guess: str) -> str:
    """``ms`` or ``id`` by the marker words of each pack; ``guess`` on a tie."""
    return _markers_say(text) or guess


@lru_cache(maxsize=1)
def _function_words() -> dict[str, str]:
    """Each function word's language (``ms`` for Malay and Indonesian together)."""
    source = resources.files("suar.detect").joinpath("data/function_words.json")
    document = json.loads(source.read_text(encoding="utf-8"))
    words = {word: lang for lang in ("en", "ms", "tl", "vi") for word in document[lang]}
    for marker in _word_votes():  # the id and ms marker words are Malay/Indonesian too
        words[marker] = "ms"
    return words


def vote(sample: str) -> str | None:
    """The language whose function words clearly lead in ``sample``, or None."""
    words = _function_words()
    counts = Counter(filter(None, map(words.get, _WORD.findall(sample.lower()))))
    if not counts:
        return None
    (best, most), *rest = counts.most_common(2)
    runner_up = rest[0][1] if rest else 0
    if most >= VOTE_MIN and most >= VOTE_MARGIN * runner_up:
        return best
    return None


def identify_language(text: str, *, script: str | None = None) -> str:
    """The BCP-47 tag of the language ``text`` is written in, or ``"und"``.

    ``script`` is :func:`script_language` of ``text`` when the caller already
    has it. The answer is one of :data:`COVERED`, ``zh-Hans``/``zh-Hant`` for
    Chinese when the characters tell, or ``"und"``.
    """
    decisive = script if script is not None else script_language(text)
    if decisive == "zh":
        return chinese_variant(text)
    if decisive is not None:
        return decisive
    sample = _NOISE.sub(" ", text[: SAMPLE_CHARS * 2])
    letters = len(_NOT_LETTERS.sub("", sample))
    if letters < MIN_LETTERS:
        return UNDETERMINED
    if not sample.isascii():
        vietnamese = len(_VIETNAMESE.findall(sample))
        if vietnamese >= 3 and vietnamese >= letters * VIETNAMESE_SHARE:
            return "vi"
    window = sample[:SAMPLE_CHARS]
    # Words of another script in the window (a bilingual post): py3langid weighs them.
    voted = vote(window) if window.isascii() or not script_counts(window) else None
    if voted == "ms":
        decided = _markers_say(text)
        if decided is not None:
            return decided
    elif voted is not None:
        return voted
    lang, _ = _identifier().classify(window)
    lang = str(lang)
    if lang in ("id", "ms"):
        return malay_or_indonesian(text, lang)
    if lang == "zh":
        return chinese_variant(text)
    return lang
