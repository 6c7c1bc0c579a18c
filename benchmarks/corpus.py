"""A deterministic generator of realistic job posts for the scan benchmark.

Posts are assembled from templates and vocabulary written for this benchmark
(the blocks at the end of this module): ordinary job ads and recruitment lures in twelve
languages and eight scripts, with phone numbers in national and international
notations, messaging contacts (Telegram, WhatsApp, LINE, WeChat, Zalo, Viber,
KakaoTalk, Facebook), links, salaries in each language's notation, places
(ordinary cities and reported scam hubs), and some disguises: zero-width
characters, full-width or Thai/Khmer/Lao/Burmese digits and obfuscated links.

The same seed always yields the same posts, and a shorter run is a prefix of a
longer one: posts are drawn one after another from a single
:class:`random.Random`. Nothing is read from disk, so the benchmark runs the
same on every machine.

Run as a script it streams JSONL to standard output::

    python benchmarks/corpus.py --posts 1000 --seed 7 > posts.jsonl
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import logging
import math
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from random import Random
from typing import IO, Any, Final

log = logging.getLogger(__name__)

#: Bump whenever the posts a seed produces change (cached corpora carry it).
CORPUS_VERSION: Final = 1
MIN_CHARS: Final = 100
MAX_CHARS: Final = 2000
#: Share of lure posts; the rest are ordinary job ads.
LURE_SHARE: Final = 0.35
#: Median and spread of the log-normal post length (in code points), truncated
#: to [MIN_CHARS, MAX_CHARS]: most posts are a few hundred characters, a long
#: tail reaches the 2,000-character cap.
LENGTH_MEDIAN: Final = 420.0
LENGTH_SIGMA: Final = 0.7
#: Chance that a post carries a disguise, by label.
DISGUISE_SHARE: Final = {"lure": 0.30, "ordinary": 0.02}
#: Chance that a non-English post switches to English for one sentence.
CODE_SWITCH_SHARE: Final = 0.25
#: Chance that a long post lists positions, and the longest such list.
POSITIONS_SHARE: Final = 0.6
MAX_POSITIONS: Final = 12
#: Further offers a long post may bundle, each after a divider.
MAX_EXTRA_OFFERS: Final = 3
_DIVIDERS: Final = ("———", "* * *", "🔹🔹🔹", "=====", "➖➖➖")

_ZERO_WIDTH: Final = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
_FULLWIDTH: Final = str.maketrans("0123456789", "０１２３４５６７８９")
_SCRIPT_ZERO: Final = {"th": 0x0E50, "km": 0x17E0, "lo": 0x0ED0, "my": 0x1040}
_EMOJI: Final = ("", "", "", "✅ ", "👉 ", "💵 ", "⭐ ", "📌 ")
_HANDLE_WORDS: Final = (
    "job asia hr work career golden lucky star dragon team recruit vip happy money global"
    " mekong sun tiger boss agent kerja viec ngan trabaho phoenix royal dream"
).split()
_LURE_TLDS: Final = ("top", "xyz", "vip", "cc", "shop", "online", "site", "com", "net", "club")
_SHORTENERS: Final = ("bit.ly/", "tinyurl.com/", "s.id/", "cutt.ly/")
_CHANNEL_FORMS: Final[dict[str, tuple[str, ...]]] = {
    "telegram": (
        "Telegram: @{h}",
        "TG: @{h}",
        "t.me/{h}",
        "https://t.me/{h}",
        "Tele @{h}",
        "Telegram {pi}",
    ),
    "whatsapp": ("WhatsApp: {pi}", "WA: {pn}", "wa.me/{pd}", "https://wa.me/{pd}", "WA/Tele {pi}"),
    "line": ("Line ID: {h}", "LINE: @{h}", "line.me/ti/p/~{h}", "ID Line: {h}"),
    "wechat": ("WeChat: {h}", "微信：{h}", "vx：{h}", "V信 {h}", "微信号 {pd}"),
    "zalo": ("Zalo: {pn}", "zalo.me/{pd}", "Zalo {pi}"),
    "viber": ("Viber: {pi}", "viber {pn}"),
    "kakaotalk": ("KakaoTalk: {h}", "카톡 ID: {h}", "카카오톡 {h}", "open.kakao.com/o/{code}"),
    "facebook": ("fb.com/{h}", "facebook.com/{h}", "m.facebook.com/{h}", "FB page: {h}"),
    "phone": ("{pi}", "{pn}", "Call {pn}"),
    "url": ("{lure_url}",),
}
#: Contact labels written in the post's own language.
_LOCAL_FORMS: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "th": {"line": ("ไลน์: {h}", "ไอดีไลน์ {h}", "LINE: @{h}", "line.me/ti/p/~{h}")},
    "vi": {"zalo": ("Zalo: {pn}", "zalo.me/{pd}", "Zalo/SĐT {pn}")},
    "zh": {"telegram": ("飞机：@{h}", "纸飞机 @{h}", "TG：@{h}", "t.me/{h}")},
}


@dataclass
class CorpusSummary:
    """What was generated: counts by language, label and disguise, and lengths."""

    posts: int = 0
    chars: int = 0
    languages: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)
    disguises: Counter[str] = field(default_factory=Counter)
    lengths: list[int] = field(default_factory=list)

    def add(self, record: dict[str, Any]) -> None:
        """Count one generated record."""
        n = len(record["text"])
        self.posts += 1
        self.chars += n
        self.languages[record["gen_lang"]] += 1
        self.labels[record["label"]] += 1
        self.disguises.update(record["gen_disguises"])
        self.lengths.append(n)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready summary, with length percentiles."""
        ordered = sorted(self.lengths)

        def pct(p: float) -> int:
            return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else 0

        return {
            "posts": self.posts,
            "chars": self.chars,
            "mean_chars": round(self.chars / self.posts, 1) if self.posts else 0.0,
            "length_percentiles": {f"p{int(p * 100)}": pct(p) for p in (0.1, 0.5, 0.9, 0.99)},
            "min_chars": ordered[0] if ordered else 0,
            "max_chars": ordered[-1] if ordered else 0,
            "languages": dict(sorted(self.languages.items())),
            "labels": dict(sorted(self.labels.items())),
            "disguises": dict(sorted(self.disguises.items())),
        }


def _digits(text: str, script: str) -> str:
    """``text`` with ASCII digits written in ``script`` ("fullwidth" or a language code)."""
    if script == "fullwidth":
        return text.translate(_FULLWIDTH)
    zero = _SCRIPT_ZERO[script]
    return text.translate({48 + d: zero + d for d in range(10)})


def _fill_hashes(rng: Random, template: str) -> str:
    return "".join(str(rng.randrange(10)) if c == "#" else c for c in template)


class _Slots(dict[str, str]):
    """Template slots filled on first use, so a post only draws what it shows."""

    def __init__(self, rng: Random, lang: Language, lure: bool, disguise: str | None) -> None:
        super().__init__()
        self.rng = rng
        self.lang = lang
        self.english = languages()["en"]
        self.lure = lure
        self.disguise = disguise
        self.native = lang.digit_script is not None and rng.random() < lang.native_share
        self.a1 = rng.choice((18, 18, 20, 21, 22))
        #: the disguises that made it into the text
        self.applied: list[str] = []

    def __missing__(self, key: str) -> str:
        value = getattr(self, f"_{key}")()
        assert isinstance(value, str)
        self[key] = value
        return value

    def number(self, text: str) -> str:
        if self.native and self.lang.digit_script is not None:
            return _digits(text, self.lang.digit_script)
        return text

    def _job(self) -> str:
        return self.rng.choice(self.lang.jobs)

    _job2 = _job3 = _job

    def _company(self) -> str:
        if self.rng.random() < 0.5:
            return self.rng.choice(self.lang.companies)
        return self.rng.choice(self.english.companies)

    def _city(self) -> str:
        return self.rng.choice(self.lang.cities)

    def _hub(self) -> str:
        source = self.lang if self.rng.random() < 0.6 else self.english
        return self.rng.choice(source.hubs)

    def _salary(self) -> str:
        return self.number(_salary(self.rng, self.rng.choice(self.lang.salaries), self.lure))

    def _salary2(self) -> str:
        # The first notation of each language is a bare amount, fit for "an extra ...".
        return self.number(_salary(self.rng, self.lang.salaries[0], self.lure))

    def _a1(self) -> str:
        return self.number(str(self.a1))

    def _a2(self) -> str:
        return self.number(str(self.a1 + self.rng.choice((10, 12, 15, 17, 20))))

    def _n(self) -> str:
        return str(self.rng.randrange(10_000, 99_999_999))

    def _date(self) -> str:
        day, month = self.rng.randrange(1, 29), self.rng.randrange(1, 13)
        return self.lang.date_format.format(d=day, m=month)

    def _domain(self) -> str:
        slug = self.rng.choice(_SLUGS)
        return f"{slug}{self.rng.choice(self.lang.tlds)}"

    def _email(self) -> str:
        box = self.rng.choice(("hr", "recruit", "careers", "jobs", "hrd"))
        if self.rng.random() < 0.2:
            return f"{box}.{self.rng.choice(_SLUGS)}{self.rng.randrange(1, 99)}@gmail.com"
        return f"{box}@{self['domain']}"

    def _url(self) -> str:
        if self.rng.random() < 0.5:
            return self.rng.choice(self.lang.boards).replace("{n}", self["n"])
        return self.rng.choice(
            (f"https://www.{self['domain']}/careers", f"https://careers.{self['domain']}/jobs/")
        ) + ("" if self.rng.random() < 0.5 else self["n"])

    def _phone(self) -> str:
        phone = _phone(self.rng, self.lang.country, intl=self.rng.random() < 0.4)
        return phone if self.lure else self.disguised(phone)

    def disguised(self, text: str) -> str:
        """``text`` with the post's digit or zero-width disguise, if it has one."""
        if self.disguise is None or self.disguise == "obfuscated_url":
            return text
        changed = _disguise(self.rng, text, self.disguise, self.lang)
        if changed != text:
            self.applied.append(self.disguise)
        return changed

    def _h(self) -> str:
        w = self.rng.choice
        return self.rng.choice(
            (
                f"{w(_HANDLE_WORDS)}{self.rng.randrange(10, 999)}",
                f"{w(_HANDLE_WORDS)}_{w(_HANDLE_WORDS)}",
                f"hr_{w(_HANDLE_WORDS)}{self.rng.randrange(1, 99)}",
                f"{w(_HANDLE_WORDS)}{w(_HANDLE_WORDS)}{self.rng.randrange(1, 9)}",
            )
        )

    def _lure_url(self) -> str:
        rng, w = self.rng, self.rng.choice
        if rng.random() < 0.3:
            code = "".join(rng.choice("abcdefghjkmnpqrstuvwxyzABCDEFGH23456789") for _ in range(7))
            return f"{w(_SHORTENERS)}{code}"
        host = f"{w(_HANDLE_WORDS)}{w(_HANDLE_WORDS)}{rng.randrange(1, 99)}"
        tld = w(_LURE_TLDS)
        path = w(("apply", "join", f"register?code={rng.randrange(1000, 9999)}", "", "job"))
        if self.disguise == "obfuscated_url":
            self.applied.append(self.disguise)
            return w(
                (
                    f"hxxps://{host}[.]{tld}/{path}",
                    f"{host} dot {tld}",
                    f"{host} . {tld}/{path}",
                    f"h t t p s://{host}.{tld}",
                )
            )
        return f"{w(('https://', 'http://', 'www.', ''))}{host}.{tld}/{path}"

    def _contact(self) -> str:
        rng = self.rng
        country = self.lang.country if rng.random() < 0.5 else rng.choice(("KH", "TH", "MM", "LA"))
        count = rng.choice((1, 1, 2, 2, 3))
        channels = rng.sample(self.lang.channels, min(count, len(self.lang.channels)))
        forms = {**_CHANNEL_FORMS, **_LOCAL_FORMS.get(self.lang.code, {})}
        chosen = " / ".join(rng.choice(forms[c]) for c in channels)
        number = _phone(rng, country, intl=True)
        values = {
            "h": self["h"],
            "pi": number,
            "pn": _phone(rng, country, intl=False),
            "pd": "".join(c for c in number if c.isdigit()),
            "code": f"{self['h'][:4]}{rng.randrange(100, 999)}",
        }
        if "{lure_url}" in chosen:
            values["lure_url"] = self["lure_url"]
        return self.disguised(chosen.format_map(values))

    def _contact_ord(self) -> str:
        kind = self.rng.choice(("phone", "email", "url", "whatsapp"))
        if kind == "whatsapp":
            return f"WhatsApp {self['phone']}"
        return self[kind]


def _disguise(rng: Random, text: str, disguise: str | None, lang: Language) -> str:
    """Apply a digit or zero-width disguise to a contact string."""
    if disguise == "zero_width":
        chars = list(text)
        for _ in range(rng.randrange(1, 4)):
            chars.insert(rng.randrange(1, len(chars)), rng.choice(_ZERO_WIDTH))
        return "".join(chars)
    if disguise == "fullwidth_digits":
        return _digits(text, "fullwidth")
    if disguise == "script_digits" and lang.digit_script is not None:
        return _digits(text, lang.digit_script)
    return text


def _phone(rng: Random, country: str, *, intl: bool) -> str:
    national, international = _PHONES[country]
    return _fill_hashes(rng, rng.choice(international if intl else national))


def _amount(value: int, style: str) -> str:
    if style == "comma":
        return f"{value:,}"
    if style == "dot":
        return f"{value:,}".replace(",", ".")
    if style == "k":
        return f"{value / 1000:.1f}".removesuffix(".0") + "k"
    return str(value)


def _salary(rng: Random, salary: Salary, lure: bool) -> str:
    """A salary in the notation ``salary`` describes; lures draw from the top of the range."""
    steps = max(1, (salary.high - salary.low) // salary.step)
    lo, hi = (steps // 3, steps) if lure else (0, max(1, 2 * steps // 3))
    a = salary.low + salary.step * rng.randint(lo, hi)
    b = a + salary.step * rng.randint(1, 5)
    style = "comma" if salary.style == "native" else salary.style
    return salary.template.format(a=_amount(a, style), b=_amount(b, style))


def _target_length(rng: Random) -> int:
    while True:
        n = int(rng.lognormvariate(math.log(LENGTH_MEDIAN), LENGTH_SIGMA))
        if MIN_CHARS <= n <= MAX_CHARS:
            return n


def _sentence(rng: Random, template: str, slots: _Slots, lure: bool) -> str:
    text = template.format_map(slots)
    return rng.choice(_EMOJI) + text if lure else text


def _pick_disguise(rng: Random, lang: Language, lure: bool) -> str | None:
    if rng.random() >= DISGUISE_SHARE["lure" if lure else "ordinary"]:
        return None
    options = ["zero_width", "fullwidth_digits"]
    if lang.digit_script is not None:
        options.append("script_digits")
    if lure:
        options.append("obfuscated_url")
    return rng.choice(options)


def _compose(rng: Random, lang: Language, lure: bool) -> tuple[str, list[str]]:
    """One post's text and the disguises it shows.

    Opener, then shuffled body sentences until the drawn length is reached,
    then (for long posts) the offer again in English, a list of positions and
    further offers, and last the call to action with the contacts.
    """
    slots = _Slots(rng, lang, lure, _pick_disguise(rng, lang, lure))
    english = slots.english
    openers, body, closers = (
        (lang.lure_openers, lang.lure, lang.lure_closers)
        if lure
        else (lang.openers, lang.body, lang.closers)
    )
    sep = rng.choice(("\n", "\n", " ", "\n\n"))
    opener = rng.choice(openers).format_map(slots)
    closer = _sentence(rng, rng.choice(closers), slots, lure)
    budget = _target_length(rng) - len(opener) - len(closer)
    middle: list[str] = []

    def add(sentence: str) -> None:
        nonlocal budget
        middle.append(sentence)
        budget -= len(sentence) + len(sep)

    pool = list(body)
    if lang.code != "en" and rng.random() < CODE_SWITCH_SHARE:
        pool.append(rng.choice(english.lure if lure else english.body))
    rng.shuffle(pool)
    if budget > 0 and lang.code != "en" and len(pool) * 60 < budget and rng.random() < 0.5:
        english_pool = list(english.lure if lure else english.body)
        rng.shuffle(english_pool)
        pool += english_pool
    for template in pool:
        if budget <= 0:
            break
        add(_sentence(rng, template, slots, lure))
    # Agency posts list a handful of positions...
    if budget > 0 and rng.random() < POSITIONS_SHARE:
        add(lang.positions_header)
        notation = rng.choice(lang.salaries)
        for index in range(1, rng.randint(3, MAX_POSITIONS) + 1):
            if budget <= 0 and index > 2:
                break
            salary = slots.number(_salary(rng, notation, lure))
            add(f"{index}. {rng.choice(lang.jobs)} – {salary}")
    # ...and the longest bundle further offers: another job, place and pay.
    for _ in range(MAX_EXTRA_OFFERS):
        if budget <= 0:
            break
        offer = _Slots(rng, lang, lure, slots.disguise)
        offer.applied = slots.applied
        add(rng.choice(_DIVIDERS))
        add(rng.choice(openers).format_map(offer))
        extra_pool = list(body)
        rng.shuffle(extra_pool)
        for template in extra_pool:
            if budget <= 0:
                break
            add(_sentence(rng, template, offer, lure))
    text = sep.join([opener, *middle, closer])
    while len(text) > MAX_CHARS and middle:
        middle.pop()
        text = sep.join([opener, *middle, closer])
    while len(text) < MIN_CHARS:
        middle.append(rng.choice(body).format_map(slots))
        text = sep.join([opener, *middle, closer])
    return text[:MAX_CHARS], sorted(set(slots.applied))


def _language_table() -> tuple[list[str], list[float]]:
    table = languages()
    codes = sorted(table)
    return codes, [table[c].weight for c in codes]


def generate_posts(count: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    """Yield ``count`` post records, the same ones for the same seed.

    Each record is a JSON-ready dict: ``id``, ``posted_at``, ``text`` (100 to
    2,000 code points), ``label`` (``"lure"`` or ``"ordinary"``), ``gen_lang``
    (the language it was written in) and ``gen_disguises``. The first ``k``
    records of a run are the records of a run with ``count=k``.
    """
    rng = Random(seed)
    table = languages()
    codes, weights = _language_table()
    epoch = datetime(2025, 1, 1, tzinfo=UTC)
    for index in range(count):
        code = rng.choices(codes, weights)[0]
        lure = rng.random() < LURE_SHARE
        text, disguises = _compose(rng, table[code], lure)
        posted = epoch + timedelta(seconds=rng.randrange(365 * 86_400))
        yield {
            "id": f"s{seed}-{index:07d}",
            "posted_at": posted.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "text": text,
            "label": "lure" if lure else "ordinary",
            "gen_lang": code,
            "gen_disguises": disguises,
        }


def write_corpus(out: IO[str], count: int, seed: int) -> CorpusSummary:
    """Write ``count`` posts as JSONL to ``out``; return what was written."""
    summary = CorpusSummary()
    for record in generate_posts(count, seed):
        out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n")
        summary.add(record)
    return summary


def corpus_path(directory: Path, count: int, seed: int, *, compress: bool = False) -> Path:
    """Where the corpus for (count, seed) is cached.

    The name carries a hash of this module's source, so that a changed
    generator never reuses a corpus an older one wrote.
    """
    digest = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:10]
    suffix = ".jsonl.gz" if compress else ".jsonl"
    return directory / f"corpus-v{CORPUS_VERSION}-{digest}-seed{seed}-{count}{suffix}"


def open_text(path: Path, mode: str) -> IO[str]:
    """Open ``path`` as UTF-8 text, through gzip when it ends with ``.gz``."""
    if path.suffix == ".gz":
        return gzip.open(path, mode + "t", encoding="utf-8")  # type: ignore[return-value]
    return path.open(mode, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Stream posts as JSONL to standard output (or ``--out``)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--posts", type=int, default=1000, help="number of posts")
    parser.add_argument("--seed", type=int, default=0, help="random seed")
    parser.add_argument("--out", type=Path, help="file to write (.gz compresses); default stdout")
    args = parser.parse_args(argv)
    try:
        if args.out is None:
            write_corpus(sys.stdout, args.posts, args.seed)
        else:
            with open_text(args.out, "w") as out:
                write_corpus(out, args.posts, args.seed)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away: stop quietly, as a Unix filter does.
        sys.stderr.close()
    return 0


# --- Vocabulary -------------------------------------------------------------
# Written for this benchmark: plausible wording of ordinary job ads and of the
# lure patterns listed in ../shared/LURE-INDICATORS.md, not copies of real posts.


@dataclass(frozen=True, slots=True)
class Salary:
    """A salary notation: ``template`` with ``{a}`` (and ``{b}`` for ranges)."""

    low: int
    high: int
    step: int
    style: str  # comma, dot, plain, k, or native (language digits when the post uses them)
    template: str


@dataclass(frozen=True, slots=True)
class Language:
    """Everything needed to write posts in one language."""

    code: str
    country: str
    weight: float
    digit_script: str | None
    native_share: float
    date_format: str
    tlds: tuple[str, ...]
    channels: tuple[str, ...]
    positions_header: str
    jobs: tuple[str, ...]
    cities: tuple[str, ...]
    hubs: tuple[str, ...]
    companies: tuple[str, ...]
    openers: tuple[str, ...]
    body: tuple[str, ...]
    closers: tuple[str, ...]
    lure_openers: tuple[str, ...]
    lure: tuple[str, ...]
    lure_closers: tuple[str, ...]
    salaries: tuple[Salary, ...]
    boards: tuple[str, ...]


_SLUGS: Final = (
    "goldenstar apsolutions sunrisetech mekongtrading blueocean primecare lotusdigital"
    " harbourfoods sinarjaya cahaya minhphat siamtrade angkordigital hanbit sakuratech"
).split()

#: Mobile (and a few landline) numbers per country: (national, international) templates.
_PHONES: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "ID": (
        ("0812-####-####", "0813 #### ####", "0857########", "(021) 5###-####"),
        ("+62 812-####-####", "+62 878 #### ####", "62821########", "+6281#########"),
    ),
    "MY": (
        ("012-### ####", "011-#### ####", "019#######", "03-#### ####"),
        ("+60 12-### ####", "+6019#######", "60 17 ### ####"),
    ),
    "PH": (
        ("0917 ### ####", "0918-###-####", "0927#######", "(02) 8###-####"),
        ("+63 917 ### ####", "+63918#######", "63 905 ### ####"),
    ),
    "VN": (
        ("0912 ### ###", "0987.###.###", "090#######", "038 ### ####", "028 38## ####"),
        ("+84 912 ### ###", "+8498#######", "84 38# ### ###"),
    ),
    "TH": (
        ("081-###-####", "089#######", "06# ### ####", "02-###-####"),
        ("+66 81 ### ####", "+669########", "66 8# ### ####"),
    ),
    "KH": (
        ("012 ### ###", "097 ### ####", "088 ### ####", "023 ### ###"),
        ("+855 12 ### ###", "+855 97 ### ####", "855 10 ### ###", "+85588#######"),
    ),
    "MM": (
        ("09 7## ### ###", "09-4########", "09 2## ### ###"),
        ("+95 9 ### ### ###", "+959#########", "95 9 7## ### ###"),
    ),
    "LA": (
        ("020 5### ####", "020 ## ### ###", "021 ### ###"),
        ("+856 20 5### ####", "+85620########", "856 20 9### ####"),
    ),
    "CN": (
        ("138 #### ####", "139########", "186-####-####", "021-####-####"),
        ("+86 13# #### ####", "+86 18#-####-####", "86 15#########"),
    ),
    "KR": (
        ("010-####-####", "010 #### ####", "02-###-####"),
        ("+82 10-####-####", "+8210########"),
    ),
    "JP": (
        ("090-####-####", "080-####-####", "03-####-####"),
        ("+81 90-####-####", "+8170########"),
    ),
}

_META: Final[dict[str, str]] = {
    # country, weight, digit script (- for none), share of posts in native digits,
    # date format, e-mail/web TLDs, contact channels in order of local popularity
    "en": "PH 0.14 - 0.0 {d}/{m}/2025 .com,.com.sg telegram,whatsapp,url,facebook,phone",
    "id": "ID 0.12 - 0.0 {d}/{m}/2025 .co.id,.com,.id whatsapp,telegram,phone,url",
    "ms": "MY 0.07 - 0.0 {d}/{m}/2025 .com.my,.my,.com whatsapp,telegram,phone",
    "tl": "PH 0.09 - 0.0 {m}/{d}/2025 .com.ph,.ph,.com facebook,telegram,viber,whatsapp",
    "vi": "VN 0.11 - 0.0 {d}/{m}/2025 .vn,.com.vn,.com zalo,telegram,facebook,phone",
    "th": "TH 0.11 th 0.1 {d}/{m}/2568 .co.th,.com line,telegram,phone,url",
    "km": "KH 0.06 km 0.4 {d}/{m}/2025 .com.kh,.com telegram,whatsapp,phone",
    "my": "MM 0.06 my 0.5 {d}/{m}/2025 .com.mm,.com viber,telegram,facebook",
    "lo": "LA 0.04 lo 0.1 {d}/{m}/2025 .la,.com whatsapp,telegram,phone",
    "zh": "CN 0.10 - 0.0 2025年{m}月{d}日 .cn,.com.cn,.com wechat,telegram,url",
    "ko": "KR 0.05 - 0.0 {m}월_{d}일 .co.kr,.kr,.com kakaotalk,telegram,url",
    "ja": "JP 0.05 - 0.0 {m}月{d}日 .co.jp,.jp,.com line,telegram,url",
}

_BLOCKS: Final[dict[str, str]] = {
    "en": """
@positions Positions available:
@jobs Customer Service Representative | Data Entry Clerk | Accountant | Sales Executive | Warehouse Supervisor | Online Marketing Specialist | Technical Support Agent | Chinese Translator | Hotel Receptionist | Software Developer
@cities Singapore | Kuala Lumpur | Makati | Bangkok | Jakarta | Ho Chi Minh City
@hubs Sihanoukville | Phnom Penh | Bavet | Poipet | Myawaddy | Shwe Kokko | KK Park | Tachileik | Golden Triangle SEZ | Bokeo | Mae Sot | Dubai | Bangkok | O'Smach | Koh Kong | Laukkaing
@companies Golden Star Group | Asia Pacific Solutions | Sunrise Technology Ltd. | Mekong Trading Co. | Blue Ocean Logistics | Prime Customer Care | Lotus Digital | Harbour Foods Pte Ltd
@openers
We are hiring: {job} at {company}.
{company} is looking for a {job} to join our team in {city}.
Job vacancy: {job} ({city}), full time.
@body
Responsibilities include handling customer enquiries, preparing weekly reports and supporting the team lead.
Requirements: diploma or degree in a related field, at least 2 years of experience, good communication skills.
We offer a basic salary of {salary}, annual leave, health insurance and a performance bonus.
Working hours are Monday to Friday, 9am to 6pm, with occasional Saturday shifts.
Our office is located in {city}, close to public transport.
Training will be provided for fresh graduates.
Other openings: {job2} and {job3}.
For enquiries call our HR office at {phone}.
@closers
Send your CV and cover letter to {email} before {date}.
Apply online at {url}. Only shortlisted candidates will be notified.
Interested applicants may contact {contact_ord}.
@lure_openers
🔥 URGENT HIRING 🔥 {job} in {hub}!
Work abroad, earn big! {company} needs 50 staff in {hub}.
💰 Easy job, high salary 💰 {job} wanted
@lure
Salary {salary} plus commission, paid every month on time.
No experience needed, we train you. Just basic typing and computer skills.
Free air ticket, free visa, free accommodation and meals.
Travel with a tourist visa, the company will process your work permit after arrival.
Age {a1}-{a2}, male or female, must be able to start immediately.
Only 10 slots left, interview online today!
Location: {hub}. Pick-up at the airport arranged by our team.
Contract 6 months, can renew. No passport? We help you apply.
Chinese or English speakers get an extra {salary2}.
No need to go through any agency, direct hiring.
@lure_closers
Send a message now, do not miss this chance! {contact}
Contact HR: {contact}
Apply here: {lure_url} or {contact}
@salaries
800 3000 100 comma | USD {a}/month
800 2500 100 comma | ${a} - ${b} per month
1000 3000 500 plain | {a}$/month
1000 3000 500 k | USD {a}
600 1200 100 comma | USD {a}++ monthly
@boards https://www.jobstreet.com.sg/job/{n} | https://www.linkedin.com/jobs/view/{n}
""",
    "id": """
@positions Posisi yang dibutuhkan:
@jobs Customer Service | Admin Gudang | Staff Akuntansi | Sales Marketing | Operator Produksi | Kasir | Data Entry | Teknisi IT | Resepsionis Hotel | Penerjemah Bahasa Mandarin
@cities Jakarta Selatan | Surabaya | Bandung | Medan | Semarang | Bekasi
@hubs Kamboja | Sihanoukville | Myanmar | Thailand | Dubai
@companies PT Sinar Jaya Abadi | PT Maju Bersama Sejahtera | CV Berkah Mandiri
@openers
Lowongan kerja {job} di {company}, penempatan {city}.
Dibutuhkan segera: {job} untuk cabang {city}.
{company} membuka lowongan {job}.
@body
Kualifikasi: pendidikan minimal SMA/SMK, pengalaman minimal 1 tahun, jujur dan bertanggung jawab.
Gaji pokok {salary} ditambah BPJS Kesehatan dan tunjangan transportasi.
Jam kerja Senin sampai Jumat pukul 08.00-17.00 WIB.
Mampu mengoperasikan Microsoft Office dan berkomunikasi dengan baik.
Lokasi kantor di {city}, dekat stasiun.
Informasi lebih lanjut hubungi {phone} (jam kerja).
Posisi lain: {job2}, {job3}.
@closers
Kirim lamaran dan CV ke {email} paling lambat {date}.
Daftar online melalui {url}.
Hubungi {contact_ord}.
@lure_openers
🔥 LOWONGAN KERJA LUAR NEGERI 🔥 Dibutuhkan {job} di {hub}!
Kerja di {hub}, gaji besar, kerja ringan!
💰 Peluang emas! Kerja kantoran di luar negeri 💰
@lure
Gaji {salary} + bonus, dibayar tepat waktu.
Tanpa pengalaman, tanpa ijazah, yang penting bisa mengetik dan main HP.
Tiket pesawat, visa, mess dan makan ditanggung perusahaan.
Berangkat pakai visa turis, izin kerja diurus setelah sampai.
Usia {a1}-{a2} tahun, pria/wanita, siap berangkat minggu ini.
Interview online, langsung berangkat!
Penempatan {hub}, dijemput di bandara.
Kontrak 6 bulan, bisa perpanjang. Paspor dibantu.
Bisa bahasa Mandarin atau Inggris, gaji tambahan {salary2}.
@lure_closers
Minat? Hubungi segera {contact}
Info lengkap: {contact}
Daftar sekarang {contact}
@salaries
5 25 1 plain | Rp {a} juta/bulan
4000000 20000000 500000 dot | Rp{a}/bulan
8 15 1 plain | {a}-{b} jt/bulan
4500000 9000000 250000 dot | IDR {a}
800 1500 100 comma | USD {a} per bulan
@boards https://www.jobstreet.co.id/id/job/{n} | https://glints.com/id/opportunities/jobs/{n}
""",
    "ms": """
@positions Jawatan kosong:
@jobs Kerani Akaun | Pembantu Tadbir | Eksekutif Jualan | Juruteknik | Pemandu Lori | Khidmat Pelanggan | Penyelia Stor | Pereka Grafik
@cities Kuala Lumpur | Shah Alam | Johor Bahru | Pulau Pinang | Ipoh | Kota Kinabalu
@hubs Kemboja | Sihanoukville | Myanmar | Thailand
@companies Syarikat Cahaya Sdn Bhd | Maju Jaya Enterprise | Sinar Logistik Sdn Bhd
@openers
Jawatan kosong: {job} di {company}, {city}.
{company} sedang mencari {job} untuk cawangan {city}.
Kekosongan jawatan {job} (sepenuh masa).
@body
Syarat: warganegara Malaysia, berumur 21 tahun ke atas, memiliki SPM atau diploma.
Gaji permulaan {salary}, KWSP, PERKESO dan cuti tahunan disediakan.
Waktu bekerja Isnin hingga Jumaat, 9 pagi hingga 6 petang.
Calon yang mempunyai lesen memandu adalah diutamakan.
Latihan akan diberikan kepada calon yang berjaya.
Untuk pertanyaan, hubungi {phone}.
@closers
Sila hantar resume ke {email} sebelum {date}.
Mohon secara dalam talian di {url}.
Hubungi {contact_ord}.
@lure_openers
🔥 KERJA LUAR NEGARA 🔥 {job} di {hub}, gaji lumayan!
Kerja senang gaji besar di {hub}!
Peluang kerja di luar negara, tiada pengalaman diperlukan!
@lure
Gaji {salary} + komisen.
Tiada pengalaman diperlukan, hanya perlu tahu menaip.
Tiket kapal terbang, visa, tempat tinggal dan makan percuma.
Masuk dengan visa pelancong, permit kerja diuruskan kemudian.
Umur {a1}-{a2} tahun, lelaki/perempuan, boleh mula segera.
Temuduga online hari ini, terhad 10 tempat sahaja!
Lokasi kerja: {hub}. Pengangkutan dari lapangan terbang disediakan.
Fasih bahasa Cina dapat elaun tambahan {salary2}.
@lure_closers
Berminat? PM sekarang {contact}
Hubungi {contact}
@salaries
2500 6000 100 comma | RM {a} sebulan
3 9 1 plain | RM{a}k
2800 4000 200 comma | RM {a} - RM {b}
1000 2000 100 plain | USD{a}/bulan
@boards https://www.jobstreet.com.my/job/{n} | https://www.hiredly.com/jobs/{n}
""",
    "tl": """
@positions Mga bakanteng posisyon:
@jobs Call Center Agent | Customer Service Representative | Data Encoder | Kusinero | Service Crew | Accounting Staff | Delivery Rider | Virtual Assistant | Online Casino Admin
@cities Makati | Quezon City | Cebu City | Davao City | Pasig | Taguig
@hubs Cambodia | Myanmar | Thailand | Dubai | Laos
@companies JRM Manpower Services Inc. | Bayanihan Foods Corp. | Luzon Outsourcing Inc.
@openers
HIRING! {job} para sa {company}, {city}.
Naghahanap kami ng {job} sa aming branch sa {city}.
Job opening: {job} – {city}.
@body
Kwalipikasyon: college level o graduate, may karanasan ng hindi bababa sa 1 taon.
Sahod {salary}, may SSS, PhilHealth at Pag-IBIG.
Lunes hanggang Sabado ang pasok, 8 oras bawat araw.
Ang training ay libre at may allowance.
Walk-in applicants ay tinatanggap tuwing Lunes.
Para sa katanungan, tumawag sa {phone}.
@closers
Ipadala ang inyong resume sa {email} bago mag-{date}.
Mag-apply online sa {url}.
Makipag-ugnayan sa {contact_ord}.
@lure_openers
🔥 URGENT HIRING ABROAD 🔥 {job} sa {hub}!
Trabaho sa {hub}, malaking sahod, madaling trabaho!
💰 Direct hiring, walang placement fee! 💰
@lure
Sahod {salary} + commission, buwan-buwan ang bayad.
Hindi kailangan ng experience, basta marunong mag-type at gumamit ng computer.
Libre ang pamasahe, visa, tirahan at pagkain.
Tourist visa lang ang gagamitin, ang company na ang bahala sa working visa.
Edad {a1}-{a2}, lalaki o babae, handang umalis agad.
Hindi na kailangan dumaan sa DMW o agency.
Lokasyon: {hub}. Susunduin kayo sa airport.
Online interview ngayong araw, limitado ang slots!
@lure_closers
Message lang po sa {contact}
PM for details: {contact}
@salaries
25 80 5 plain | ₱{a}k
25000 60000 5000 comma | PHP {a}/month
20 45 5 plain | {a}k kada buwan
18000 35000 1000 comma | P {a} kada buwan
1000 2000 100 comma | USD {a} a month
@boards https://www.jobstreet.com.ph/job/{n} | https://www.kalibrr.com/c/jobs/{n}
""",
    "vi": """
@positions Vị trí tuyển dụng:
@jobs Nhân viên chăm sóc khách hàng | Nhân viên kế toán | Nhân viên kinh doanh | Lễ tân khách sạn | Nhân viên nhập liệu | Lập trình viên | Phiên dịch tiếng Trung | Công nhân may | Nhân viên kho
@cities Hà Nội | TP.HCM | Đà Nẵng | Hải Phòng | Bình Dương | Cần Thơ
@hubs Campuchia | Sihanoukville | Bavet | Phnom Penh | Myanmar | Mộc Bài
@companies Công ty TNHH Minh Phát | Công ty CP Sao Việt | Tập đoàn Hưng Thịnh
@openers
{company} tuyển dụng {job} làm việc tại {city}.
Tuyển gấp {job}, làm việc tại {city}.
Thông báo tuyển dụng: {job}.
@body
Yêu cầu: tốt nghiệp cao đẳng trở lên, có ít nhất 1 năm kinh nghiệm.
Mức lương {salary}, đóng bảo hiểm xã hội đầy đủ, thưởng tháng 13.
Thời gian làm việc từ thứ Hai đến thứ Sáu, 8h00 - 17h30.
Được đào tạo nghiệp vụ, môi trường làm việc năng động.
Ưu tiên ứng viên biết tiếng Anh giao tiếp.
Liên hệ phòng nhân sự: {phone}.
@closers
Ứng viên gửi CV về email {email} trước ngày {date}.
Nộp hồ sơ trực tuyến tại {url}.
Liên hệ {contact_ord}.
@lure_openers
🔥 VIỆC NHẸ LƯƠNG CAO 🔥 Tuyển {job} làm việc tại {hub}!
Tuyển gấp 20 bạn đi làm tại {hub}, bao ăn ở!
💰 Cơ hội đổi đời, việc nhẹ lương cao 💰
@lure
Lương {salary}, thưởng doanh số hấp dẫn.
Không cần kinh nghiệm, chỉ cần biết đánh máy và dùng điện thoại.
Bao vé máy bay, visa, chỗ ở và ăn uống.
Đi bằng visa du lịch, công ty lo giấy phép lao động sau.
Tuổi từ {a1} đến {a2}, nam nữ đều được, đi ngay.
Chỉ cần biết tiếng Việt, không cần bằng cấp.
Địa điểm làm việc: {hub}, có xe đón tại sân bay.
Phỏng vấn online, xuất cảnh trong 3 ngày!
@lure_closers
Liên hệ ngay {contact}
Inbox để biết thêm: {contact}
@salaries
8 30 1 plain | {a} triệu/tháng
10 40 1 plain | {a}tr/tháng
8000000 30000000 1000000 dot | {a} VNĐ
800 2000 100 dot | {a} USD/tháng
10 15 1 plain | {a}-{b} triệu
@boards https://www.topcv.vn/viec-lam/{n}.html | https://itviec.com/it-jobs/{n}
""",
    "th": """
@positions ตำแหน่งที่เปิดรับ:
@jobs พนักงานบริการลูกค้า | พนักงานบัญชี | พนักงานขาย | แอดมินออนไลน์ | พนักงานคีย์ข้อมูล | ล่ามภาษาจีน | พนักงานต้อนรับโรงแรม | โปรแกรมเมอร์ | พนักงานคลังสินค้า
@cities กรุงเทพฯ | เชียงใหม่ | ขอนแก่น | ชลบุรี | ภูเก็ต | นนทบุรี
@hubs สีหนุวิลล์ | ปอยเปต | เมียวดี | แม่สอด | ท่าขี้เหล็ก | สามเหลี่ยมทองคำ | กัมพูชา
@companies บริษัท สยามเทรดดิ้ง จำกัด | บริษัท ไทยดิจิทัล จำกัด | ห้างหุ้นส่วน รุ่งเรืองกิจ
@openers
{company} รับสมัคร {job} ประจำสาขา{city}
ด่วน! รับสมัคร {job} หลายอัตรา
ประกาศรับสมัครงานตำแหน่ง {job}
@body
คุณสมบัติ: วุฒิ ปวส. ขึ้นไป มีประสบการณ์อย่างน้อย 1 ปี
เงินเดือน {salary} มีประกันสังคมและโบนัสประจำปี
ทำงานวันจันทร์ถึงวันศุกร์ เวลา 08.30-17.30 น.
มีการฝึกอบรมก่อนเริ่มงาน
สามารถใช้คอมพิวเตอร์และโปรแกรม Excel ได้ดี
สอบถามรายละเอียดโทร {phone}
@closers
ส่งประวัติส่วนตัวมาที่ {email} ภายในวันที่ {date}
สมัครออนไลน์ได้ที่ {url}
ติดต่อ {contact_ord}
@lure_openers
🔥 งานต่างประเทศ รายได้ดี 🔥 รับสมัคร {job} ทำงานที่{hub}
งานสบาย รายได้สูง ไม่ต้องมีประสบการณ์! ทำงานที่{hub}
💰 รับด่วน! งานออนไลน์ต่างประเทศ 💰
@lure
รายได้ {salary} พร้อมค่าคอมมิชชั่น
ไม่ต้องมีประสบการณ์ ไม่ต้องใช้วุฒิ พิมพ์คอมเป็นก็พอ
ฟรีตั๋วเครื่องบิน วีซ่า ที่พัก และอาหาร
เดินทางด้วยวีซ่าท่องเที่ยว บริษัทดำเนินการใบอนุญาตทำงานให้ภายหลัง
อายุ {a1}-{a2} ปี ชาย/หญิง พร้อมเดินทางทันที
สัมภาษณ์ออนไลน์ ได้งานภายใน 3 วัน
สถานที่ทำงาน {hub} มีรถรับที่สนามบิน
พูดภาษาจีนได้ รับเพิ่ม {salary2}
@lure_closers
สนใจติดต่อ {contact}
ทักมาเลย {contact}
@salaries
15000 45000 1000 comma | {a} บาท
20000 35000 5000 comma | {a}-{b} บาท/เดือน
20 50 5 plain | ฿{a}k
800 1500 100 comma | {a} USD ต่อเดือน
25000 40000 5000 native | {a} บาท/เดือน
@boards https://www.jobthai.com/th/job/{n} | https://th.jobsdb.com/job/{n}
""",
    "km": """
@positions មុខតំណែង៖
@jobs បុគ្គលិកផ្នែកបម្រើអតិថិជន | គណនេយ្យករ | បុគ្គលិកលក់ | អ្នកបញ្ចូលទិន្នន័យ | អ្នកបកប្រែភាសាចិន | បុគ្គលិកទទួលភ្ញៀវ | អ្នកបើកបរ | បុគ្គលិកព័ត៌មានវិទ្យា
@cities ភ្នំពេញ | សៀមរាប | បាត់ដំបង | កំពត
@hubs ក្រុងព្រះសីហនុ | ភ្នំពេញ | បាវិត | ប៉ោយប៉ែត | កោះកុង
@companies ក្រុមហ៊ុន អង្គរ ឌីជីថល | ក្រុមហ៊ុន មេគង្គ ពាណិជ្ជកម្ម
@openers
{company} ត្រូវការជ្រើសរើស {job} ធ្វើការនៅ{city}
ដំណឹងជ្រើសរើសបុគ្គលិក៖ {job}
ត្រូវការបន្ទាន់ {job} ចំនួន ៣ នាក់
@body
លក្ខខណ្ឌ៖ បញ្ចប់បរិញ្ញាបត្រ មានបទពិសោធន៍យ៉ាងតិច ១ ឆ្នាំ
ប្រាក់ខែ {salary} និងប្រាក់រង្វាន់ប្រចាំឆ្នាំ
ម៉ោងធ្វើការ ថ្ងៃច័ន្ទ ដល់ ថ្ងៃសៅរ៍ ម៉ោង ៨ ព្រឹក ដល់ ៥ ល្ងាច
ចេះប្រើកុំព្យូទ័រ និងភាសាអង់គ្លេសបានល្អ
ព័ត៌មានបន្ថែមសូមទូរស័ព្ទមក {phone}
@closers
សូមផ្ញើ CV មកកាន់ {email} មុនថ្ងៃទី {date}
ដាក់ពាក្យតាមអនឡាញ {url}
ទំនាក់ទំនង {contact_ord}
@lure_openers
🔥 ការងារស្រួល ប្រាក់ខែខ្ពស់ 🔥 ត្រូវការ {job} នៅ{hub}
ជ្រើសរើសបន្ទាន់ ធ្វើការនៅ{hub} ប្រាក់ខែល្អ!
💰 ឱកាសការងារនៅបរទេស 💰
@lure
ប្រាក់ខែ {salary} បូកកម្រៃជើងសារ
មិនត្រូវការបទពិសោធន៍ ចេះវាយអក្សរបានគ្រប់គ្រាន់
ឥតគិតថ្លៃ សំបុត្រយន្តហោះ ទិដ្ឋាការ កន្លែងស្នាក់នៅ និងអាហារ
អាយុ {a1}-{a2} ឆ្នាំ ប្រុស/ស្រី អាចចេញដំណើរភ្លាម
សម្ភាសន៍តាមអនឡាញ ចូលធ្វើការភ្លាមៗ
ទីតាំងការងារ {hub} មានឡានទទួល
ចេះភាសាចិន ទទួលបានបន្ថែម {salary2}
@lure_closers
ទំនាក់ទំនង {contact}
ចាប់អារម្មណ៍សូមទាក់ទង {contact}
@salaries
500 2000 100 plain | ${a}
800 1500 100 plain | {a}$ ក្នុងមួយខែ
600 1500 100 native | {a} ដុល្លារ
2000000 6000000 500000 comma | {a} រៀល
@boards https://www.bongthom.com/job_detail/{n}.html | https://www.camhr.com/a/job/{n}
""",
    "my": """
@positions ခေါ်ယူမည့် ရာထူးများ -
@jobs ဖောက်သည်ဝန်ဆောင်မှုဝန်ထမ်း | စာရင်းကိုင် | အရောင်းဝန်ထမ်း | ဒေတာထည့်သွင်းသူ | တရုတ်စကားပြန် | ဟိုတယ်ဧည့်ကြို | IT ဝန်ထမ်း | ကားမောင်း
@cities ရန်ကုန် | မန္တလေး | နေပြည်တော် | ပဲခူး
@hubs မြဝတီ | ရွှေကုက္ကို | တာချီလိတ် | မိုင်းလား | လောက်ကိုင်
@companies ရွှေမြန်မာ ကုမ္ပဏီ | ငွေတိုက် အုပ်စု
@openers
{company} မှ {job} ခေါ်ယူနေပါသည်။ ({city})
အလုပ်ခေါ်စာ - {job}
{job} အမြန်လိုအပ်ပါသည်။
@body
အရည်အချင်း - ဘွဲ့ရ၊ လုပ်ငန်းအတွေ့အကြုံ ၁ နှစ်ရှိရမည်။
လစာ {salary} နှင့် နှစ်ပတ်လည်ဆုကြေး။
တနင်္လာမှ သောကြာ နံနက် ၉ နာရီမှ ညနေ ၅ နာရီ။
ကွန်ပျူတာ ကျွမ်းကျင်ရမည်။
စုံစမ်းရန် ဖုန်း {phone}
@closers
CV ကို {email} သို့ {date} မတိုင်မီ ပို့ပါ။
အွန်လိုင်းမှ လျှောက်ရန် {url}
ဆက်သွယ်ရန် {contact_ord}
@lure_openers
🔥 နိုင်ငံခြားအလုပ် လစာကောင်း 🔥 {hub} တွင် {job} ခေါ်ယူမည်
အလုပ်သက်သာ လစာများ! {hub}
💰 အတွေ့အကြုံမလို လစာကောင်း 💰
@lure
လစာ {salary} + ကော်မရှင်
အတွေ့အကြုံမလိုပါ၊ စာရိုက်တတ်ရုံဖြင့် ရပါသည်။
လေယာဉ်လက်မှတ်၊ ဗီဇာ၊ နေစရာ၊ စားစရာ အခမဲ့။
အသက် {a1} မှ {a2} နှစ်၊ ကျား/မ၊ ချက်ချင်းထွက်ခွာနိုင်ရမည်။
အွန်လိုင်းအင်တာဗျူး၊ ၃ ရက်အတွင်း ထွက်ခွာမည်။
အလုပ်နေရာ {hub}၊ လေဆိပ်မှ ကြိုဆိုပေးမည်။
တရုတ်စကားပြောတတ်လျှင် {salary2} ထပ်ပေးမည်။
@lure_closers
ဆက်သွယ်ရန် {contact}
စိတ်ဝင်စားပါက {contact}
@salaries
800 2000 100 plain | ${a}
5 30 5 native | ကျပ် {a} သိန်း
1000 2000 100 native | USD {a}
500000 1500000 100000 comma | {a} ကျပ်
@boards https://www.jobnet.com.mm/job/{n} | https://www.myjobs.com.mm/jobs/{n}
""",
    "lo": """
@positions ຕຳແໜ່ງທີ່ຮັບ:
@jobs ພະນັກງານບໍລິການລູກຄ້າ | ພະນັກງານບັນຊີ | ພະນັກງານຂາຍ | ພະນັກງານປ້ອນຂໍ້ມູນ | ນາຍພາສາຈີນ | ພະນັກງານຕ້ອນຮັບ | ພະນັກງານໄອທີ
@cities ນະຄອນຫຼວງວຽງຈັນ | ຫຼວງພະບາງ | ປາກເຊ | ສະຫວັນນະເຂດ
@hubs ສາມຫຼ່ຽມຄຳ | ບໍ່ແກ້ວ | ຕົ້ນເຜິ້ງ
@companies ບໍລິສັດ ລາວ ດີຈີຕອນ | ບໍລິສັດ ແມ່ຂອງ ເທຣດດິ້ງ
@openers
{company} ຮັບສະໝັກ {job} ປະຈຳ{city}
ປະກາດຮັບສະໝັກພະນັກງານ: {job}
ດ່ວນ! ຕ້ອງການ {job}
@body
ຄຸນສົມບັດ: ຈົບປະລິນຍາຕີ ມີປະສົບການຢ່າງໜ້ອຍ 1 ປີ
ເງິນເດືອນ {salary} ມີປະກັນສັງຄົມ
ເວລາເຮັດວຽກ ວັນຈັນ ຫາ ວັນສຸກ 8:00-16:30
ສາມາດໃຊ້ຄອມພິວເຕີໄດ້ດີ
ສອບຖາມໂທ {phone}
@closers
ສົ່ງຊີວະປະຫວັດມາທີ່ {email} ກ່ອນວັນທີ {date}
ສະໝັກອອນລາຍໄດ້ທີ່ {url}
ຕິດຕໍ່ {contact_ord}
@lure_openers
🔥 ວຽກງ່າຍ ເງິນເດືອນສູງ 🔥 ຮັບ {job} ເຮັດວຽກຢູ່{hub}
ຮັບດ່ວນ! ວຽກຢູ່{hub} ລາຍໄດ້ດີ
💰 ບໍ່ຕ້ອງມີປະສົບການ 💰
@lure
ເງິນເດືອນ {salary} ບວກຄ່ານາຍໜ້າ
ບໍ່ຕ້ອງມີປະສົບການ ພິມຄອມເປັນກໍພໍ
ຟຣີ ປີ້ຍົນ ວີຊາ ທີ່ພັກ ແລະ ອາຫານ
ອາຍຸ {a1}-{a2} ປີ ຊາຍ/ຍິງ ພ້ອມເດີນທາງທັນທີ
ສຳພາດອອນລາຍ ໄດ້ວຽກພາຍໃນ 3 ມື້
ສະຖານທີ່ເຮັດວຽກ {hub} ມີລົດຮັບ
ເວົ້າພາສາຈີນໄດ້ ເພີ່ມ {salary2}
@lure_closers
ສົນໃຈຕິດຕໍ່ {contact}
ຕິດຕໍ່ດ່ວນ {contact}
@salaries
3000000 9000000 500000 comma | {a} ກີບ
5 12 1 plain | {a} ລ້ານກີບ
700 1500 100 plain | ${a}/ເດືອນ
20000 40000 5000 comma | {a} ບາດ
@boards https://www.108.jobs/job/{n}
""",
    "zh": """
@positions 招聘岗位：
@jobs 客服专员 | 会计 | 销售代表 | 数据录入员 | 翻译（英语/越南语） | 酒店前台 | 程序员 | 网络推广 | 仓库管理员
@cities 上海 | 深圳 | 广州 | 杭州 | 成都 | 昆明
@hubs 西港 | 金边 | 妙瓦底 | KK园区 | 大其力 | 果敢 | 金三角经济特区 | 迪拜 | 亚太新城
@companies 上海华信科技有限公司 | 金鼎集团 | 深圳市恒通贸易有限公司
@openers
{company}诚聘{job}，工作地点：{city}。
招聘：{job}若干名。
【招聘】{job}（{city}）
@body
任职要求：大专及以上学历，一年以上相关工作经验。
薪资待遇：{salary}，五险一金，带薪年假。
工作时间：周一至周五 9:00-18:00，双休。
公司提供岗前培训，晋升空间大。
熟练使用办公软件，沟通能力强。
咨询电话：{phone}
@closers
有意者请将简历发送至 {email}，截止日期 {date}。
网申地址：{url}
联系方式：{contact_ord}
@lure_openers
🔥高薪急招🔥 {hub}招聘{job}！
轻松工作，月入过万！工作地点{hub}
💰海外高薪，包吃包住💰
@lure
待遇{salary}，按时发放。
无需经验，会打字会用手机即可。
包机票、包签证、包吃包住。
旅游签证出境，到了以后公司办理工作证。
年龄{a1}-{a2}岁，男女不限，可立即出发。
线上面试，三天内出发！
工作地点：{hub}，机场有专人接机。
会英语或越南语加薪{salary2}。
@lure_closers
有意者联系{contact}
详情咨询 {contact}
@salaries
3000 8000 500 plain | {a}元/月
1 5 1 plain | 月薪{a}万
6000 15000 1000 plain | 底薪{a}元+提成
2 5 1 plain | 月入{a}万+
1000 3000 500 plain | {a} USD/月
20 60 10 plain | 年薪{a}万
8000 20000 1000 plain | 月薪{a}-{b}元
@boards https://www.zhipin.com/job_detail/{n}.html | https://jobs.51job.com/shanghai/{n}.html
""",
    "ko": """
@positions 모집 분야:
@jobs 고객상담원 | 회계 담당자 | 영업사원 | 데이터 입력원 | 통역사(중국어) | 호텔 프론트 | 개발자 | 온라인 마케터
@cities 서울 강남구 | 부산 | 인천 | 판교 | 대전
@hubs 시하누크빌 | 프놈펜 | 바벳 | 포이펫 | 보코산 | 캄보디아
@companies (주)한빛솔루션 | 대한물류(주) | (주)미래테크
@openers
{company}에서 {job}을(를) 모집합니다. 근무지: {city}
[채용] {job} 모집
{job} 신입/경력 채용 공고
@body
자격요건: 초대졸 이상, 관련 경력 1년 이상 우대.
급여: {salary}, 4대보험, 연차, 성과급 지급.
근무시간: 월~금 09:00~18:00.
입사 후 교육 지원, 정규직 전환 가능.
문의: {phone}
@closers
이력서는 {email}로 {date}까지 보내주세요.
온라인 지원: {url}
연락처: {contact_ord}
@lure_openers
🔥 해외 고수익 알바 🔥 {hub} {job} 모집!
단순 업무, 고수익 보장! 근무지 {hub}
💰 경력 무관, 고액 알바 💰
@lure
{salary} 보장, 인센티브 별도.
경력 무관, 타자만 칠 줄 알면 됩니다.
항공권, 숙소, 식사 모두 제공.
관광비자로 출국, 현지에서 취업비자 처리.
나이 {a1}~{a2}세, 남녀 무관, 즉시 출국 가능자.
온라인 면접 후 바로 출국!
근무지: {hub}, 공항 픽업 제공.
중국어 가능자 {salary2} 추가.
@lure_closers
문의는 {contact}
지금 연락주세요 {contact}
@salaries
250 800 50 plain | 월 {a}만원
250 600 50 plain | 월급 {a}만 원
3000 6000 500 comma | 연봉 {a}만원
2500000 6000000 500000 comma | ₩{a}
1000 3000 500 comma | 월 ${a}
@boards https://www.saramin.co.kr/zf_user/jobs/view?rec_idx={n} | https://www.jobkorea.co.kr/Recruit/GI_Read/{n}
""",
    "ja": """
@positions 募集職種：
@jobs カスタマーサポート | 経理スタッフ | 営業職 | データ入力 | 通訳（中国語） | ホテルフロント | エンジニア | Webマーケター
@cities 東京都港区 | 大阪市 | 名古屋市 | 福岡市 | 横浜市
@hubs プノンペン | バベット | ポイペト | カンボジア | タイ
@companies 株式会社サクラテック | 株式会社みらい物流 | 東海フーズ株式会社
@openers
{company}では{job}を募集しています。勤務地：{city}
【求人】{job}（正社員）
{job}募集のお知らせ
@body
応募資格：高卒以上、実務経験1年以上の方歓迎。
給与：{salary}、社会保険完備、賞与年2回。
勤務時間：月～金 9:00～18:00（休憩1時間）。
未経験者も研修制度があるので安心です。
お問い合わせ：{phone}
@closers
履歴書を{email}まで{date}までにお送りください。
WEB応募：{url}
連絡先：{contact_ord}
@lure_openers
🔥高収入バイト🔥 {hub}で{job}募集！
簡単作業で高収入！勤務地：{hub}
💰即日払い・海外案件💰
@lure
{salary}以上可能、即日払いOK。
経験不要、スマホとパソコンが使えればOK。
渡航費・宿泊費・食事すべて会社負担。
観光ビザで渡航、現地で手続きします。
年齢{a1}～{a2}歳、男女不問、すぐに出発できる方。
オンライン面接のみ、最短3日で出国！
勤務地：{hub}、空港まで送迎あり。
@lure_closers
詳しくは{contact}まで
気軽にDMください {contact}
@salaries
20 50 5 plain | 月給{a}万円
1100 2000 100 comma | 時給{a}円
2 5 1 plain | 日給{a}万円
200000 500000 50000 comma | 月給{a}円
30 100 10 plain | 月収{a}万円
@boards https://doda.jp/DodaFront/View/JobSearchDetail/j_jid__{n}/ | https://jp.indeed.com/viewjob?jk={n}
""",
}

_LIST_SECTIONS: Final = (
    "jobs cities hubs companies openers body closers lure_openers lure lure_closers boards"
).split()


def _parse_salary(line: str) -> Salary:
    spec, template = line.split(" | ", 1)
    low, high, step, style = spec.split()
    return Salary(int(low), int(high), int(step), style, template)


def _parse_block(code: str, block: str) -> Language:
    """One language from its block: ``@section`` headers, then one entry a line
    (or, on the header line itself, entries separated by `` | ``)."""
    sections: dict[str, list[str]] = {}
    current: list[str] = []
    for raw in block.strip().splitlines():
        line = raw.strip()
        if line.startswith("@"):
            name, _, inline = line[1:].partition(" ")
            current = sections.setdefault(name, [])
            current.extend(e for e in inline.split(" | ") if e)
        elif line:
            current.append(line)
    missing = [s for s in (*_LIST_SECTIONS, "salaries", "positions") if not sections.get(s)]
    if missing:
        raise ValueError(f"vocabulary for {code!r} lacks {missing}")
    country, weight, script, native, date_format, tlds, channels = _META[code].split()
    return Language(
        code=code,
        country=country,
        weight=float(weight),
        digit_script=None if script == "-" else script,
        native_share=float(native),
        date_format=date_format.replace("_", " "),
        tlds=tuple(tlds.split(",")),
        channels=tuple(channels.split(",")),
        positions_header=sections["positions"][0],
        salaries=tuple(_parse_salary(s) for s in sections["salaries"]),
        **{name: tuple(sections[name]) for name in _LIST_SECTIONS},
    )


@lru_cache(maxsize=1)
def languages() -> dict[str, Language]:
    """The twelve languages posts are written in, parsed from the blocks above on first use."""
    return {code: _parse_block(code, block) for code, block in _BLOCKS.items()}


if __name__ == "__main__":
    sys.exit(main())
