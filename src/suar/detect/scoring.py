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


def level_for(risk: float) -> Level:
    """The level a risk falls in, by the thresholds of the scoring data file."""
    thresholds = load_scoring().thresholds
    if risk >= thresholds.high:
        return Level.HIGH
    if risk >= thresholds.medium:
        return Level.MEDIUM
    if risk >= thresholds.low:
        return Level.LOW
    return Level.NONE


@dataclass(frozen=True, slots=True)
class Assessment:
    """What the scorer concludes about one post."""

    risk: float
    level: Level
    flags: tuple[Flag, ...]
    explanation: str


@dataclass(frozen=True, slots=True)
class _Candidate:
    code: str
    span: tuple[int, int]
    weight: float
    strength: Strength
    country: str | None = None


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


def _candidate(
    code: str, span: tuple[int, int], strength: Strength, country: str | None, config: ScoringConfig
) -> _Candidate | None:
    spec = config.flags.get(code)
    if spec is None:
        return None
    return _Candidate(code, span, spec.weight_for(strength), strength, country)


def _phrase_candidates(
    hits: Iterable[Hit], home: str | None, config: ScoringConfig
) -> Iterable[_Candidate | None]:
    for hit in hits:
        if hit.is_context:
            continue
        phrase = hit.phrase
        if phrase.country is not None and phrase.country == home:
            continue  # "Cambodia" in a Cambodian post is no destination abroad
        strength: Strength = "strong" if phrase.strong else "normal"
        yield _candidate(hit.code, hit.span, strength, phrase.country, config)


def _indicator_candidates(
    indicators: Iterable[Indicator], config: ScoringConfig
) -> Iterable[_Candidate | None]:
    for ind in indicators:
        rule = config.indicators.get(ind.kind)
        if rule is None:
            continue
        strength = rule.strength
        country = ind.attrs.get("country")
        if rule.roles is not None:
            role_strength = rule.roles.get(str(ind.attrs.get("role", "")))
            if role_strength is None:
                continue
            strength = role_strength
        if ind.value in rule.weak_places:
            strength = "weak"
        yield _candidate(rule.flag, ind.span, strength, str(country) if country else None, config)


def _salary_candidate(
    indicators: Sequence[Indicator],
    candidates: Sequence[_Candidate],
    hits: Sequence[Hit],
    home: str | None,
    config: ScoringConfig,
) -> _Candidate | None:
    """The unrealistic-salary flag, when the highest pay offered is far above the reference."""
    pays = [
        (float(i.attrs["usd_per_month"]), i)
        for i in indicators
        if i.kind == "money" and isinstance(i.attrs.get("usd_per_month"), int | float)
    ]
    if not pays:
        return None
    usd, top = max(pays, key=lambda p: p[0])
    abroad = [
        c.country
        for c in candidates
        if c.code in ("location.risk_country", "location.hotspot_named")
        and c.strength != "weak"
        and c.country
        and c.country != home
    ]
    rule = config.salary
    # Unrealistic both where the post is written from and where it sends the worker.
    places = [p for p in (home, abroad[0] if abroad else None) if p] or ["default"]
    refs = {p: rule.usd_per_month.get(p, rule.usd_per_month["default"]) for p in places}
    where = max(refs, key=lambda p: refs[p])
    # A skilled title anywhere outweighs desk-job words, which skilled ads mention in passing.
    role: Literal["entry", "unknown", "skilled"]
    if any(h.code == _SKILLED for h in hits):
        role = "skilled"
    elif {c.code for c in candidates} & _ENTRY_CODES:
        role = "entry"
    else:
        role = "unknown"
    if usd < rule.ratio * refs[where] * rule.roles[role]:
        return None
    return _candidate("salary.unrealistic", top.span, "normal", where, config)


def _select(candidates: Iterable[_Candidate], config: ScoringConfig) -> list[_Candidate]:
    """Keep, per code, the strongest few candidates that do not overlap."""
    weighed = sorted(candidates, key=lambda c: (-c.weight, c.span[0], -c.span[1]))
    kept: list[_Candidate] = []
    per_code: dict[str, int] = {}
    for cand in weighed:
        if per_code.get(cand.code, 0) >= config.max_flags_per_code:
            continue
        if any(
            k.code == cand.code and k.span[0] < cand.span[1] and cand.span[0] < k.span[1]
            for k in kept
        ):
            continue
        kept.append(cand)
        per_code[cand.code] = per_code.get(cand.code, 0) + 1
    return kept


def _combine(weights: Iterable[float]) -> float:
    remaining = 1.0
    for w in weights:
        remaining *= 1.0 - w
    return 1.0 - remaining


def risk_of(kept: Sequence[_Candidate], config: ScoringConfig, *, warning: bool = False) -> float:
    """The risk of a set of weighed flags, by the rules in the module docstring."""
    by_code: dict[str, float] = {}
    for cand in kept:
        by_code[cand.code] = max(by_code.get(cand.code, 0.0), cand.weight)
    families: dict[str, list[float]] = {}
    for code, weight in by_code.items():
        families.setdefault(config.flags[code].family, []).append(weight)
    scores = [_combine(ws) for ws in families.values()]
    risk = _combine(scores)
    present = {c.code for c in kept if c.strength != "weak"}
    for combo in config.combinations:
        satisfied = sum(1 for group in combo.require if present.intersection(group))
        if satisfied >= (combo.min_groups or len(combo.require)):
            risk = _combine((risk, combo.bonus))
    counted = sum(1 for s in scores if s >= config.min_family_score)
    caps = config.max_risk_by_families
    cap = caps[counted] if counted < len(caps) else 1.0
    if not any(config.flags[c.code].abroad and c.strength != "weak" for c in kept):
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
    config = load_scoring()
    home = _home_country(lang, country, indicators, config)
    found = [*_phrase_candidates(hits, home, config), *_indicator_candidates(indicators, config)]
    candidates = [c for c in found if c is not None]
    salary = _salary_candidate(indicators, candidates, hits, home, config)
    if salary is not None:
        candidates.append(salary)
    kept = _select(candidates, config)
    risk = risk_of(kept, config, warning=any(h.code == _WARNING for h in hits))
    level = level_for(risk)
    flags = tuple(
        Flag(
            code=c.code,
            label=config.flags[c.code].label,
            evidence=text[c.span[0] : c.span[1]],
            span=c.span,
            weight=c.weight,
        )
        for c in sorted(kept, key=lambda c: (c.span, c.code))
    )
    return Assessment(risk=risk, level=level, flags=flags, explanation=explain(level, flags))


# --- explanations and their translation -------------------------------------------------


@lru_cache(maxsize=16)
def _translations(locale: str) -> Any:
    from babel.support import NullTranslations, Translations

    if locale in ("", "en") or locale.startswith("en_") or locale.startswith("en-"):
        return NullTranslations()
    directory = resources.files("suar").joinpath("locale")
    return Translations.load(str(directory), [locale.replace("-", "_")], domain="flags")


def flag_label(code: str, locale: str = "en", *, default: str | None = None) -> str:
    """The label of flag ``code`` in ``locale`` (English when there is no translation)."""
    spec = load_scoring().flags.get(code)
    english = spec.label if spec is not None else (default or code)
    return str(_translations(locale).gettext(english))


def _short(evidence: str) -> str:
    flat = " ".join(evidence.split())
    return flat if len(flat) <= _EVIDENCE_CHARS else flat[: _EVIDENCE_CHARS - 1] + "\u2026"


def explain(level: Level, flags: Sequence[Flag], locale: str = "en") -> str:
    """One sentence naming the level and the strongest evidence, in ``locale``.

    The strongest flag comes first, then the strongest flag of another code,
    then how many other codes were seen.
    """
    messages = load_scoring().messages
    tr = _translations(locale)
    if not flags:
        return str(tr.gettext(messages.nothing))
    order = sorted(flags, key=lambda f: (-f.weight, f.span))
    first = order[0]
    others: list[Flag] = []
    for flag in order[1:]:
        if flag.code != first.code and all(flag.code != o.code for o in others):
            others.append(flag)

    def show(flag: Flag) -> str:
        label = flag_label(flag.code, locale, default=flag.label)
        return str(tr.gettext(messages.flag)).format(label=label, evidence=_short(flag.evidence))

    values: Mapping[str, Any] = {
        "level": tr.gettext(messages.levels[level.value]),
        "flag": show(first),
        "second": show(others[0]) if others else "",
        "count": len(others) - 1,
    }
    if not others:
        template = tr.gettext(messages.one)
    elif len(others) == 1:
        template = tr.gettext(messages.two)
    else:
        template = tr.ngettext(messages.more[0], messages.more[1], len(others) - 1)
    return str(template).format(**values)


def explain_model(
    level: Level, flags: Sequence[Flag], probability: float, locale: str = "en"
) -> str:
    """The explanation when the lure model, not the red flags alone, set the level."""
    tr = _translations(locale)
    messages = load_scoring().messages
    values = {
        "level": tr.gettext(messages.levels[level.value]),
        "probability": f"{probability:.2f}",
    }
    if not flags:
        return str(tr.gettext(messages.model)).format(**values)
    strongest = flags[0]
    label = flag_label(strongest.code, locale)
    values["flag"] = str(tr.gettext(messages.flag)).format(
        label=label, evidence=_short(strongest.evidence)
    )
    return str(tr.gettext(messages.model_with)).format(**values)


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
