"""Risk, level and explanation from red flags and indicators.

Everything numeric lives in ``data/scoring.json`` (documented in
docs/red-flags.md): each flag code's label, family and weights, how indicators
become flags, the combination bonuses, the caps and the level thresholds.

The rules, in order:

1. Phrase hits (:mod:`suar.detect.flags`) and indicators become flags, each
   with a weight: the code's ``weight``, or its ``strong_weight`` /
   ``weak_weight`` for telling phrases and for weak indicators. A place in the
   post's own country, a destination country that is the post's own, and a
   salary that is ordinary for the role and country do not count (or count
   weakly).
2. Within a family (offer, role, destination, channel, process, target) the
   codes combine as independent evidence, ``1 - prod(1 - w)``, each code once
   at its strongest; the families then combine the same way.
3. Each combination whose groups are all present (or ``min_groups`` of them)
   adds its bonus the same way: combinations matter more than single words.
4. Caps: one family alone stays below medium, two stay below high
   (``max_risk_by_families``; weak families, under ``min_family_score``, are
   not counted), and without any sign that the job is abroad the risk stays
   below medium (``max_risk_without_abroad``).
5. A post that warns against lures (``context.warning`` phrases: "beware of",
   "waspada", "cảnh báo"...) quotes their wording; its risk is multiplied by
   ``warning_factor``.

``DETECTOR_VERSION`` is the data file's semantic version plus a hash of the
file and of every flag pack, so it changes whenever a weight, a threshold or a
phrase does. It is computed on first access, not at import.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Final, Literal

from suar.detect.flags import Hit
from suar.detect.hints import LANGUAGE_COUNTRY
from suar.detect.vocabulary import (
    CONTEXT_PREFIX,
    ScoringConfig,
    Strength,
    load_scoring,
    pack_bytes,
    scoring_document,
)
from suar.domain import Flag, Indicator, Level

logger = logging.getLogger(__name__)

_SKILLED: Final = "context.skilled_role"
_WARNING: Final = "context.warning"
#: Codes that mark a post's job as entry-level for the salary check.
_ENTRY_CODES: Final = frozenset(
    {
        "job.generic_office_title",
        "sector.gaming_crypto",
        "skill.none_required",
        "job.illicit_slang",
        "skill.language_typing_it",
    }
)
_EVIDENCE_CHARS: Final = 60
_NUMBER: Final = (int, float)
#: How many flag sets (and sets of codes) the scorer remembers the risk (bonuses) of.
_MAX_REMEMBERED: Final = 2_048


@lru_cache(maxsize=1)
def detector_version() -> str:
    """``<semver>+<hash>``: changes whenever the scoring data or any flag pack changes."""
    raw, config = scoring_document()
    digest = hashlib.sha256(raw)
    for lang, data in pack_bytes():
        digest.update(b"\0" + lang.encode() + b"\0" + data)
    return f"{config.version}+{digest.hexdigest()[:12]}"


def __getattr__(name: str) -> str:
    # DETECTOR_VERSION is derived from data files, so it is read on first use.
    if name == "DETECTOR_VERSION":
        return detector_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True, slots=True)
class Assessment:
    """What the scorer concludes about one post."""

    risk: float
    level: Level
    flags: tuple[Flag, ...]
    explanation: str


#: A flag candidate: code, span, weight, strength, country (plain tuples: one per hit and post).
_Candidate = tuple[str, tuple[int, int], float, Strength, str | None]


@dataclass(frozen=True, slots=True)
class _Rule:
    """An indicator rule with its place ids as a set."""

    flag: str
    strength: Strength
    roles: Mapping[str, Strength] | None
    weak_places: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Combo:
    require: tuple[frozenset[str], ...]
    needed: int
    bonus: float


class _Tables:
    """The scoring data laid out for the scorer's inner loops, built once per configuration.

    Plain dicts and tuples replace the validated models, and the bonuses of
    the combinations are remembered per set of codes present, which is the
    same few sets over and over.
    """

    def __init__(self, config: ScoringConfig) -> None:
        self.config = config
        flags = config.flags
        self.weights: dict[str, dict[Strength, float]] = {
            code: {"weak": spec.weak, "normal": spec.weight, "strong": spec.strong}
            for code, spec in flags.items()
        }
        self.family = {code: spec.family for code, spec in flags.items()}
        self.abroad = {code: spec.abroad for code, spec in flags.items()}
        self.label = {code: spec.label for code, spec in flags.items()}
        self.rules = {
            kind: _Rule(rule.flag, rule.strength, rule.roles, frozenset(rule.weak_places))
            for kind, rule in config.indicators.items()
        }
        self.combos = tuple(
            _Combo(
                tuple(frozenset(group) for group in combo.require),
                combo.min_groups or len(combo.require),
                combo.bonus,
            )
            for combo in config.combinations
        )
        self.caps = tuple(config.max_risk_by_families)
        t = config.thresholds
        self.thresholds = (t.low, t.medium, t.high)
        self._bonuses: dict[frozenset[str], tuple[float, ...]] = {}
        #: risk by (warning, (code, weight, strength) of each kept flag in order); bounded below
        self.risks: dict[tuple[object, ...], float] = {}

    def bonuses(self, present: frozenset[str]) -> tuple[float, ...]:
        """The bonuses of the combinations that ``present`` (codes shown not weakly) satisfies."""
        found = self._bonuses.get(present)
        if found is None:
            found = tuple(
                combo.bonus
                for combo in self.combos
                if sum(1 for group in combo.require if not present.isdisjoint(group))
                >= combo.needed
            )
            if len(self._bonuses) < _MAX_REMEMBERED:
                self._bonuses[present] = found
        return found

    def level(self, risk: float) -> Level:
        low, medium, high = self.thresholds
        if risk >= high:
            return Level.HIGH
        if risk >= medium:
            return Level.MEDIUM
        if risk >= low:
            return Level.LOW
        return Level.NONE


_TABLES: list[_Tables] = []


def _tables() -> _Tables:
    """The tables of the current scoring configuration (rebuilt if the configuration changes)."""
    config = load_scoring()
    if not _TABLES or _TABLES[0].config is not config:
        _TABLES[:] = [_Tables(config)]
    return _TABLES[0]


def level_for(risk: float) -> Level:
    """The level a risk falls in, by the thresholds of the scoring data file."""
    return _tables().level(risk)


def _home_country(
    lang: str | None, country: str | None, indicators: Sequence[Indicator], config: ScoringConfig
) -> str | None:
    """The country the post is written from: the record's, its language's, or its currency's."""
    if country:
        return country.upper()
    primary = (lang or "").split("-")[0].lower()
    if primary in LANGUAGE_COUNTRY:
        return LANGUAGE_COUNTRY[primary]
    for ind in indicators:
        if ind.kind == "money":
            found = config.salary.currency_country.get(str(ind.attrs.get("currency", "")))
            if found:
                return found
    return None


def _candidates(
    hits: Iterable[Hit], indicators: Iterable[Indicator], home: str | None, tables: _Tables
) -> list[_Candidate]:
    """Flag candidates from phrase hits, then from indicators (codes the data knows only)."""
    weights = tables.weights
    found: list[_Candidate] = []
    for hit in hits:
        phrase = hit.phrase
        if phrase.code.startswith(CONTEXT_PREFIX):
            continue
        if phrase.country is not None and phrase.country == home:
            continue  # "Cambodia" in a Cambodian post is no destination abroad
        by_strength = weights.get(hit.code)
        if by_strength is not None:
            strength: Strength = "strong" if phrase.strong else "normal"
            found.append((hit.code, hit.span, by_strength[strength], strength, phrase.country))
    for ind in indicators:
        rule = tables.rules.get(ind.kind)
        if rule is None:
            continue
        strength = rule.strength
        if rule.roles is not None:
            role_strength = rule.roles.get(str(ind.attrs.get("role", "")))
            if role_strength is None:
                continue
            strength = role_strength
        if ind.value in rule.weak_places:
            strength = "weak"
        by_strength = weights.get(rule.flag)
        if by_strength is not None:
            country = ind.attrs.get("country")
            where = str(country) if country else None
            found.append((rule.flag, ind.span, by_strength[strength], strength, where))
    return found


def _salary_candidate(
    indicators: Sequence[Indicator],
    candidates: Sequence[_Candidate],
    hits: Sequence[Hit],
    home: str | None,
    tables: _Tables,
) -> _Candidate | None:
    """The unrealistic-salary flag, when the highest pay offered is far above the reference."""
    pays = [
        (float(i.attrs["usd_per_month"]), i)
        for i in indicators
        if i.kind == "money" and isinstance(i.attrs.get("usd_per_month"), _NUMBER)
    ]
    if not pays:
        return None
    usd, top = max(pays, key=lambda p: p[0])
    abroad = [
        country
        for code, _, _, strength, country in candidates
        if code in ("location.risk_country", "location.hotspot_named")
        and strength != "weak"
        and country
        and country != home
    ]
    rule = tables.config.salary
    # Unrealistic both where the post is written from and where it sends the worker.
    places = [p for p in (home, abroad[0] if abroad else None) if p] or ["default"]
    refs = {p: rule.usd_per_month.get(p, rule.usd_per_month["default"]) for p in places}
    where = max(refs, key=lambda p: refs[p])
    # A skilled title anywhere outweighs desk-job words, which skilled ads mention in passing.
    role: Literal["entry", "unknown", "skilled"]
    if any(h.code == _SKILLED for h in hits):
        role = "skilled"
    elif any(c[0] in _ENTRY_CODES for c in candidates):
        role = "entry"
    else:
        role = "unknown"
    if usd < rule.ratio * refs[where] * rule.roles[role]:
        return None
    by_strength = tables.weights.get("salary.unrealistic")
    if by_strength is None:
        return None
    return ("salary.unrealistic", top.span, by_strength["normal"], "normal", where)


def _weight_order(cand: _Candidate) -> tuple[float, int, int]:
    return (-cand[2], cand[1][0], -cand[1][1])


def _select(candidates: list[_Candidate], per_code_limit: int) -> list[_Candidate]:
    """Keep, per code, the strongest few candidates that do not overlap."""
    if len(candidates) < 2:
        return candidates
    candidates.sort(key=_weight_order)
    kept: list[_Candidate] = []
    spans: dict[str, list[tuple[int, int]]] = {}
    for cand in candidates:
        code, (start, end) = cand[0], cand[1]
        taken = spans.setdefault(code, [])
        if len(taken) >= per_code_limit:
            continue
        if any(s < end and start < e for s, e in taken):
            continue
        kept.append(cand)
        taken.append(cand[1])
    return kept


def _combine(weights: Iterable[float]) -> float:
    remaining = 1.0
    for w in weights:
        remaining *= 1.0 - w
    return 1.0 - remaining


def _risk(kept: Sequence[_Candidate], tables: _Tables, *, warning: bool) -> float:
    """The risk of a set of weighed flags, by the rules in the module docstring.

    It depends only on the codes, weights and strengths, in order, which
    repeat from post to post: each such set is computed once.
    """
    key = (warning, *((c[0], c[2], c[3]) for c in kept))
    found = tables.risks.get(key)
    if found is None:
        found = _compute_risk(kept, tables, warning=warning)
        if len(tables.risks) < _MAX_REMEMBERED:
            tables.risks[key] = found
    return found


def _compute_risk(kept: Sequence[_Candidate], tables: _Tables, *, warning: bool) -> float:
    config = tables.config
    by_code: dict[str, float] = {}
    for code, _, weight, _, _ in kept:
        by_code[code] = max(by_code.get(code, 0.0), weight)
    families: dict[str, list[float]] = {}
    for code, weight in by_code.items():
        families.setdefault(tables.family[code], []).append(weight)
    scores = [_combine(ws) for ws in families.values()]
    risk = _combine(scores)
    present = frozenset(c[0] for c in kept if c[3] != "weak")
    for bonus in tables.bonuses(present):
        risk = _combine((risk, bonus))
    counted = sum(1 for s in scores if s >= config.min_family_score)
    caps = tables.caps
    cap = caps[counted] if counted < len(caps) else 1.0
    abroad = tables.abroad
    if not any(abroad[code] for code in present):
        cap = min(cap, config.max_risk_without_abroad)
    risk = min(risk, cap)
    if warning:
        risk *= config.warning_factor
    return round(risk, 4)


def assess(
    text: str,
    hits: Sequence[Hit],
    indicators: Sequence[Indicator],
    *,
    lang: str | None = None,
    country: str | None = None,
) -> Assessment:
    """Score one post: ``text`` is the original, ``hits`` and ``indicators`` were found in it.

    Returns the risk in [0, 1], its level, the red flags (spans into ``text``,
    evidence exactly ``text[start:end]``, ordered by position) and a
    one-sentence English explanation naming the strongest evidence.
    """
    tables = _tables()
    config = tables.config
    home = _home_country(lang, country, indicators, config)
    candidates = _candidates(hits, indicators, home, tables)
    salary = _salary_candidate(indicators, candidates, hits, home, tables)
    if salary is not None:
        candidates.append(salary)
    kept = _select(candidates, config.max_flags_per_code)
    risk = _risk(kept, tables, warning=any(h.code == _WARNING for h in hits))
    level = tables.level(risk)
    label = tables.label
    kept.sort(key=_span_order)
    flags = tuple(
        Flag(code, label[code], text[span[0] : span[1]], span, weight)
        for code, span, weight, _, _ in kept
    )
    return Assessment(risk=risk, level=level, flags=flags, explanation=explain(level, flags))


def _span_order(cand: _Candidate) -> tuple[tuple[int, int], str]:
    return (cand[1], cand[0])


# --- explanations and their translation -------------------------------------------------


class _Catalogue:
    """The translations of one locale, each message looked up once."""

    def __init__(self, locale: str) -> None:
        from babel.support import NullTranslations, Translations

        self.translations: NullTranslations
        if locale in ("", "en") or locale.startswith("en_") or locale.startswith("en-"):
            self.translations = NullTranslations()
        else:
            directory = resources.files("suar").joinpath("locale")
            self.translations = Translations.load(
                str(directory), [locale.replace("-", "_")], domain="flags"
            )
        self._texts: dict[str, str] = {}
        self._labels: dict[tuple[str, str | None], str] = {}

    def text(self, message: str) -> str:
        found = self._texts.get(message)
        if found is None:
            found = self._texts[message] = str(self.translations.gettext(message))
        return found

    def plural(self, singular: str, plural: str, n: int) -> str:
        return str(self.translations.ngettext(singular, plural, n))

    def label(self, code: str, default: str | None) -> str:
        key = (code, default)
        found = self._labels.get(key)
        if found is None:
            english = _tables().label.get(code, default or code)
            found = self._labels[key] = self.text(english)
        return found


@lru_cache(maxsize=16)
def _catalogue(locale: str) -> _Catalogue:
    return _Catalogue(locale)


def flag_label(code: str, locale: str = "en", *, default: str | None = None) -> str:
    """The label of flag ``code`` in ``locale`` (English when there is no translation)."""
    return _catalogue(locale).label(code, default)


def _short(evidence: str) -> str:
    flat = " ".join(evidence.split())
    return flat if len(flat) <= _EVIDENCE_CHARS else flat[: _EVIDENCE_CHARS - 1] + "\u2026"


def _flag_order(flag: Flag) -> tuple[float, tuple[int, int]]:
    return (-flag.weight, flag.span)


def explain(level: Level, flags: Sequence[Flag], locale: str = "en") -> str:
    """One sentence naming the level and the strongest evidence, in ``locale``.

    The strongest flag comes first, then the strongest flag of another code,
    then how many other codes were seen.
    """
    messages = load_scoring().messages
    tr = _catalogue(locale)
    if not flags:
        return tr.text(messages.nothing)
    order = sorted(flags, key=_flag_order)
    first = order[0]
    others: list[Flag] = []
    seen = {first.code}
    for flag in order[1:]:
        if flag.code not in seen:
            seen.add(flag.code)
            others.append(flag)

    def show(flag: Flag) -> str:
        label = tr.label(flag.code, flag.label)
        return tr.text(messages.flag).format(label=label, evidence=_short(flag.evidence))

    values: Mapping[str, Any] = {
        "level": tr.text(messages.levels[level.value]),
        "flag": show(first),
        "second": show(others[0]) if others else "",
        "count": len(others) - 1,
    }
    if not others:
        template = tr.text(messages.one)
    elif len(others) == 1:
        template = tr.text(messages.two)
    else:
        template = tr.plural(messages.more[0], messages.more[1], len(others) - 1)
    return template.format(**values)


def explain_model(
    level: Level, flags: Sequence[Flag], probability: float, locale: str = "en"
) -> str:
    """The explanation when the lure model, not the red flags alone, set the level."""
    tr = _catalogue(locale)
    messages = load_scoring().messages
    values = {
        "level": tr.text(messages.levels[level.value]),
        "probability": f"{probability:.2f}",
    }
    if not flags:
        return tr.text(messages.model).format(**values)
    strongest = flags[0]
    label = tr.label(strongest.code, None)
    values["flag"] = tr.text(messages.flag).format(label=label, evidence=_short(strongest.evidence))
    return tr.text(messages.model_with).format(**values)


def catalogue_messages() -> list[str | tuple[str, str]]:
    """Every English message to translate: flag labels, then explanation templates.

    A plural message is a (singular, plural) pair. The Babel catalogue under
    ``suar/locale`` must hold exactly these (a test checks it).
    """
    config = load_scoring()
    messages = config.messages
    found: list[str | tuple[str, str]] = [spec.label for spec in config.flags.values()]
    found += [messages.levels[k] for k in ("none", "low", "medium", "high")]
    found += [messages.nothing, messages.flag, messages.one, messages.two]
    found.append((messages.more[0], messages.more[1]))
    found += [messages.model, messages.model_with]
    return found


def catalogue_template() -> bytes:
    """The gettext template (``suar/locale/flags.pot``) of :func:`catalogue_messages`.

    Regenerate it after changing a label or a template, then update and
    compile the translations with ``pybabel update`` / ``pybabel compile``
    (docs/red-flags.md gives the commands).
    """
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(domain="flags", project="Suar", copyright_holder="The Suar authors")
    for message in catalogue_messages():
        catalog.add(message, auto_comments=["suar/detect/data/scoring.json"])
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False)
    return out.getvalue()
