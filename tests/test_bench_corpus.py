"""The benchmark's post generator: deterministic, and the lengths and language mix it promises."""

from __future__ import annotations

import importlib.util
import io
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import regex

CORPUS_PY = Path(__file__).resolve().parents[1] / "benchmarks" / "corpus.py"
SAMPLE = 2000

SCRIPTS = {
    "th": r"\p{Thai}",
    "km": r"\p{Khmer}",
    "my": r"\p{Myanmar}",
    "lo": r"\p{Lao}",
    "ko": r"\p{Hangul}",
    "ja": r"[\p{Hiragana}\p{Katakana}]",
    "zh": r"\p{Han}",
    "vi": r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]",
}
DISGUISE_MARKS = {
    "zero_width": r"[\u200b\u200c\u200d\u2060\ufeff]",
    "fullwidth_digits": r"[０-９]",
    "script_digits": r"[\u0e50-\u0e59\u17e0-\u17e9\u0ed0-\u0ed9\u1040-\u1049]",
    "obfuscated_url": r"hxxp|\[\.\]| dot | \. |h t t p",
}


@pytest.fixture(scope="module")
def corpus() -> ModuleType:
    # benchmarks/ is not a package: load the generator from its file.
    spec = importlib.util.spec_from_file_location("bench_corpus", CORPUS_PY)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_corpus"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def posts(corpus: ModuleType) -> list[dict[str, Any]]:
    return list(corpus.generate_posts(SAMPLE, seed=5))


def test_the_same_seed_gives_the_same_posts_and_another_seed_other_posts(
    corpus: ModuleType, posts: list[dict[str, Any]]
) -> None:
    again = list(corpus.generate_posts(200, seed=5))
    other = list(corpus.generate_posts(200, seed=6))
    assert again == posts[:200], "a shorter run must be a prefix of a longer one"
    assert [p["text"] for p in other] != [p["text"] for p in again]


def test_every_post_is_100_to_2000_code_points_with_a_long_tail(
    posts: list[dict[str, Any]],
) -> None:
    lengths = sorted(len(p["text"]) for p in posts)
    assert lengths[0] >= 100 and lengths[-1] <= 2000
    median = lengths[len(lengths) // 2]
    assert 300 <= median <= 650, median
    assert sum(n > 1500 for n in lengths) >= SAMPLE * 0.005, "no long posts"
    assert sum(n < 250 for n in lengths) >= SAMPLE * 0.05, "no short posts"


def test_all_twelve_languages_appear_in_their_promised_shares_and_scripts(
    corpus: ModuleType, posts: list[dict[str, Any]]
) -> None:
    languages = corpus.languages()
    assert set(languages) == {
        "en",
        "id",
        "ms",
        "tl",
        "vi",
        "th",
        "km",
        "my",
        "lo",
        "zh",
        "ko",
        "ja",
    }
    counts = Counter(p["gen_lang"] for p in posts)
    for code, language in languages.items():
        assert abs(counts[code] / SAMPLE - language.weight) < 0.03, (code, counts[code])
    for code, pattern in SCRIPTS.items():
        written = [p["text"] for p in posts if p["gen_lang"] == code]
        in_script = sum(1 for text in written if regex.search(pattern, text))
        assert in_script == len(written), f"{code} posts not written in their script"


def test_lures_and_ordinary_ads_are_mixed_and_lures_carry_contacts(
    corpus: ModuleType, posts: list[dict[str, Any]]
) -> None:
    lures = [p["text"] for p in posts if p["label"] == "lure"]
    assert abs(len(lures) / SAMPLE - corpus.LURE_SHARE) < 0.04
    messaging = regex.compile(
        r"t\.me/|telegram|TG[:：]|tele |wa\.me/|whatsapp|WA[:/ ]|line|wechat|微信|vx|V信|zalo"
        r"|viber|kakao|카톡|카카오톡|fb\.com|facebook|飞机",
        regex.IGNORECASE,
    )
    with_messaging = sum(1 for text in lures if messaging.search(text))
    assert with_messaging / len(lures) > 0.6
    assert sum(1 for text in lures if regex.search(r"\p{Nd}{3}", text)) / len(lures) > 0.5


def test_the_disguises_a_post_claims_are_in_its_text(posts: list[dict[str, Any]]) -> None:
    seen: Counter[str] = Counter()
    for post in posts:
        for disguise in post["gen_disguises"]:
            seen[disguise] += 1
            assert regex.search(DISGUISE_MARKS[disguise], post["text"]), (disguise, post["text"])
    assert set(seen) == set(DISGUISE_MARKS), seen


def test_written_jsonl_reads_back_as_the_generated_records(corpus: ModuleType) -> None:
    out = io.StringIO()
    summary = corpus.write_corpus(out, 50, seed=9)
    lines = out.getvalue().splitlines()
    assert [json.loads(line) for line in lines] == list(corpus.generate_posts(50, seed=9))
    assert summary.posts == 50 and sum(summary.languages.values()) == 50
