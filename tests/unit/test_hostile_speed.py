"""Untrusted input, round two: one small hostile article must not stall the pipeline.

Each defect gets a regression test whose cost is measured as a *ratio* between
two input sizes (or as a count of calls of the hot function), never against a
wall-clock threshold: a size four times larger may cost about four times as
much, never the sixteen times of a quadratic.

1. A sentence with many clock times ("12:30 12:31 ..."): every value's
   occurrence re-tokenised and re-scanned the whole sentence.
2. A line of hyphenated capitalised words ("Aaa-Bbb-Ccc-..."): the credited
   source pattern was retried, and read to the end of the run, at every capital.
3. Many tiny sentences ("Ini kalimat nomor 5. " * N): alignment's exact search
   compares every sentence with every other.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import consistency.stages.align as align_mod
from consistency import lang
from consistency.claims import clock, extract_claims, slots
from consistency.claims.clock import (
    MAX_TIMES_PER_SENTENCE,
    daypart_claims,
    time_claims,
    time_word_claims,
)
from consistency.claims.mentions import (
    name_claims,
    name_run_matches,
    source_claims,
    source_res,
)
from consistency.config import AlignConfig
from consistency.models.bundle import ModelChoice
from consistency.pipeline import run_articles
from consistency.stages.align import MAX_ALIGNED_SENTENCES, align, articles_over_align_cap
from consistency.stages.prepare import prepare_articles
from consistency.types import ARTICLES, FACTS
from tests.conftest import FakeEmbedder, FakeNLI, sentences_frame

LINEAR_BOUND = 8.0
"""The most ``cost(4n) / cost(n)`` may be: linear is 4, quadratic 16."""


def _sent(text: str) -> dict[str, Any]:
    return {"text": text, "start": 0, "sent_idx": 0}


def _best_time(fn: Callable[[], object], reps: int, batches: int) -> float:
    """The fastest of ``batches`` runs of ``reps`` calls of ``fn``, in seconds."""
    best = math.inf
    for _ in range(batches):
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        best = min(best, time.perf_counter() - t)
    return best


def growth(fn: Callable[[Any], object], small: Any, large: Any) -> float:
    """How much longer ``fn(large)`` takes than ``fn(small)``.

    Calls are repeated until a batch takes a few hundredths of a second, and the
    fastest of three batches counts, so a shared machine's noise mostly cancels
    out of the ratio. A slow call (the quadratic code) is timed once.
    """
    fn(small)  # compiled patterns and language data
    t = time.perf_counter()
    fn(small)
    single = time.perf_counter() - t
    reps = max(1, math.ceil(0.03 / max(single, 1e-6)))
    batches = 3 if single < 0.2 else 1
    t_small = _best_time(lambda: fn(small), reps, batches)
    t_large = _best_time(lambda: fn(large), reps, batches)
    return t_large / t_small


# 1. clock times --------------------------------------------------------------


def _clock_line(n: int) -> str:
    return " ".join(f"pukul {i % 24:02d}:{i % 60:02d} WIB" for i in range(n)) + "."


def test_a_sentence_of_clock_times_is_tokenised_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The occurrence of every time comes from one tokenisation and one cue scan."""
    calls = {"tokens": 0, "match": 0}
    real_tokens, real_match = slots.tokens, slots.match_at

    def tokens(text: str) -> list[slots.Token]:
        calls["tokens"] += 1
        return real_tokens(text)

    def match_at(toks: list[slots.Token], i: int, cue: tuple[str, ...]) -> bool:
        calls["match"] += 1
        return real_match(toks, i, cue)

    monkeypatch.setattr(clock, "tokens", tokens)
    monkeypatch.setattr(slots, "match_at", match_at)
    counted = {}
    for n in (40, 160):  # both under the cap
        calls.update(tokens=0, match=0)
        assert len(time_claims("a", _sent(_clock_line(n)))) == n
        counted[n] = dict(calls)
    assert counted[40]["tokens"] == counted[160]["tokens"] == 1
    # cue matching grows with the values (each reads its own window), not with their square
    assert counted[160]["match"] / counted[40]["match"] < LINEAR_BOUND


def test_clock_times_in_one_sentence_cost_linear_time() -> None:
    ratio = growth(lambda n: time_claims("a", _sent(_clock_line(n))), 100, 400)
    assert ratio < LINEAR_BOUND, f"400 times cost {ratio:.1f} x 100 times"


@pytest.mark.parametrize(
    ("reader", "unit"),
    [
        (time_claims, "jam {h}:{m:02d} WIB, "),
        (time_word_claims, "tengah malam "),
        (daypart_claims, "Minggu malam "),
    ],
)
def test_one_sentence_gives_at_most_the_cap_of_times(
    reader: Callable[[str, dict[str, Any]], list[dict[str, Any]]], unit: str
) -> None:
    text = "".join(unit.format(h=i % 24, m=i % 60) for i in range(3 * MAX_TIMES_PER_SENTENCE))
    got = reader("a", _sent(text))
    assert len(got) == MAX_TIMES_PER_SENTENCE
    # the first ones are read, in order, as without the cap
    assert got[:3] == reader("a", _sent("".join(unit.format(h=i, m=i) for i in range(3))))


# 2. names and credited sources ------------------------------------------------


def _hyphenated(nbytes: int) -> str:
    words = itertools.cycle(["Aaa", "Bbb", "Ccc", "Ddd"])
    return "-".join(itertools.islice(words, nbytes // 4))


COMMON = frozenset({"kata", "x"})


@pytest.mark.parametrize(
    ("name", "read", "line", "n"),
    [
        # one run of hyphenated capitals, 4 KB and 16 KB
        ("hyphenated", "sources", _hyphenated, 4_000),
        # thousands of credited sources, and of proper names, in one sentence
        ("sources", "sources", lambda n: "Budi kata " * n, 1_000),
        ("names", "names", lambda n: "x Aaaa " * n, 1_000),
    ],
)
def test_names_in_one_hostile_line_cost_linear_time(
    name: str, read: str, line: Callable[[int], str], n: int
) -> None:
    def run(k: int) -> object:
        if read == "sources":
            return source_claims("a", _sent(line(k)), [], COMMON)
        return name_claims("a", _sent(line(k)), [], [], COMMON)

    ratio = growth(run, n, 4 * n)
    assert ratio < LINEAR_BOUND, f"{name}: 4x the line cost {ratio:.1f}x"


_OLD_NAME_RUN = r"[A-Z][\w'’.-]*(?:\s+(?:bin|binti|al|el|van|de|di)?\s*[A-Z][\w'’.-]*){0,4}"


def _old_source_before() -> re.Pattern[str]:
    """The credited-source pattern as it was, read with ``finditer``: the reference."""
    verbs = lang.merged("claims").get("reporting_verbs", [])
    before = "|".join(sorted(map(re.escape, verbs), key=len, reverse=True))
    return re.compile(
        rf"(?P<name>{_OLD_NAME_RUN})(?:,[^,]{{0,60}},)?(?:\s+[a-z]+){{0,2}}?\s+(?i:{before})\b"
    )


ORDINARY = [
    "Kepala Badan Nasional Penanggulangan Bencana Suharyanto menyebut 162 orang tewas.",
    "Kepala Basarnas Padang, Abdul Malik, mengatakan tim masih mencari korban.",
    "Muhammad bin Salman al Saud mengatakan hal itu di Riyadh.",
    "Jean-Pierre Lacroix said the mission would stay.",
    "O'Brien told reporters on Monday that the bridge collapsed.",
    "Dr.Budi menyebut, 'Sutopo P.N. mengatakan' itu benar.",
    "Budi menyebut-Ani menyebut hal yang sama.",
    "iPhone menyebut pengguna, kata McDonald kepada wartawan.",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_credited_sources_are_found_as_before_on_ordinary_text(text: str) -> None:
    old = [(m.span(), m.group("name")) for m in _old_source_before().finditer(text)]
    new = [(m.span(), m.group("name")) for m in name_run_matches(source_res()[0], text)]
    assert new == old


PIECE = st.sampled_from(
    ["Budi", "Ahmad", "A", "B-C", "Aaa-Bbb", "iPhone", "O'Brien", "Dr.", "bin", "binti", "al",
     "van", "kata", "ujar", "menyebut", "said", "told", "mengatakan", "x", "2", "_", "-", "'",
     ".", ","]
)  # fmt: skip
GLUE = st.sampled_from(["", " ", "  ", "-", ", ", ". "])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(PIECE, GLUE), min_size=1, max_size=14))
def test_credited_sources_match_the_old_pattern_on_random_text(
    parts: list[tuple[str, str]],
) -> None:
    text = "".join(p + g for p, g in parts)
    old = [(m.span(), m.group("name")) for m in _old_source_before().finditer(text)]
    new = [(m.span(), m.group("name")) for m in name_run_matches(source_res()[0], text)]
    assert new == old


# 3. many tiny sentences ---------------------------------------------------------


def _tiny_sentences(n: int) -> tuple[pl.DataFrame, np.ndarray]:
    """One article of ``n`` tiny sentences and a normal one, with random unit vectors."""
    rows = [("h", i, f"Ini kalimat nomor {i}.") for i in range(n)]
    rows += [("o", 0, "Gempa itu menewaskan 162 orang di Cianjur."), ("o", 1, "Ini kalimat.")]
    frame = sentences_frame(rows)
    vecs = np.random.default_rng(0).standard_normal((len(rows), 8)).astype(np.float32)
    return frame, vecs / np.linalg.norm(vecs, axis=1, keepdims=True)


@pytest.mark.parametrize("focus", [None, ["h"], ["o"]])
def test_alignment_work_is_bounded_by_the_cap(
    monkeypatch: pytest.MonkeyPatch, focus: list[str] | None
) -> None:
    """Similarities computed (queries x indexed sentences) stop growing past the cap."""
    work = [0]

    def search(index_vectors: np.ndarray, queries: np.ndarray, k: int) -> Any:
        work[0] += index_vectors.shape[0] * queries.shape[0]
        k = min(k, index_vectors.shape[0])
        return np.zeros((len(queries), k), np.float32), np.full((len(queries), k), -1)

    def search_parts(parts: list[tuple[Any, np.ndarray]], queries: np.ndarray, k: int) -> Any:
        work[0] += sum(index.ntotal for index, _ in parts) * queries.shape[0]
        return np.zeros((len(queries), k), np.float32), np.full((len(queries), k), -1)

    monkeypatch.setattr(align_mod, "_search", search)
    monkeypatch.setattr(align_mod, "_search_parts", search_parts)
    done = {}
    for n in (MAX_ALIGNED_SENTENCES + 1_000, 4 * (MAX_ALIGNED_SENTENCES + 1_000)):
        work[0] = 0
        align(*_tiny_sentences(n), focus=focus)
        done[n] = work[0]
    small, large = sorted(done)
    assert done[large] <= done[small], done
    # and no more than the cap's square (with the other article's few sentences)
    assert done[large] <= 2 * (MAX_ALIGNED_SENTENCES + 2) ** 2


def test_an_article_past_the_cap_is_aligned_on_its_first_sentences(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "Kim plans to travel to Russia this month to meet Putin"
    rows = [
        ("a", 0, "The weather in Jakarta was hot"),
        ("a", 1, "Football results"),
        ("a", 2, text),
    ]
    rows += [("b", 0, text + " in Moscow")]
    frame = sentences_frame(rows)
    vecs = FakeEmbedder().embed(frame["text"].to_list())
    cfg = AlignConfig(min_similarity=0.6, min_margin=0.05)
    assert [r[:4] for r in align(frame, vecs, cfg).iter_rows()] == [("a", 2, "b", 0)]
    monkeypatch.setattr(align_mod, "MAX_ALIGNED_SENTENCES", 2)
    assert align(frame, vecs, cfg).height == 0  # a's third sentence is past the cap
    assert articles_over_align_cap(frame, cap=2) == {"a": 3}
    assert articles_over_align_cap(frame) == {}


def _articles(texts: dict[str, str]) -> pl.DataFrame:
    rows = [
        {
            "article_id": aid,
            "source": f"{aid}.txt",
            "outlet": aid,
            "title": None,
            "url": None,
            "published": None,
            "language": "id",
            "text": text,
            "text_sha": hashlib.sha256(text.encode()).hexdigest(),
        }
        for aid, text in texts.items()
    ]
    return ARTICLES.conform(pl.DataFrame(rows, schema=ARTICLES.polars_schema))


def test_many_tiny_sentences_cost_linear_time_through_the_pipeline() -> None:
    def run(n: int) -> object:
        tiny = "".join(f"Ini kalimat nomor {i}. " for i in range(n))
        arts = _articles({"h": tiny, "o": "Gempa itu menewaskan 162 orang di Cianjur, kata BNPB."})
        return run_articles(arts, models=ModelChoice(FakeEmbedder(), FakeNLI()))

    ratio = growth(run, 500, 2_000)
    assert ratio < LINEAR_BOUND, f"4x the sentences cost {ratio:.1f}x"


# all three, at random ----------------------------------------------------------

CLOCK = st.builds(
    lambda cue, h, m, zone: f"{cue}{h}:{m:02d}{zone}",
    st.sampled_from(["", "pukul ", "jam ", "at "]),
    st.integers(0, 30),
    st.integers(0, 99),
    st.sampled_from(["", " WIB", " pm", " GMT"]),
)
HYPHENATED = st.lists(
    st.sampled_from(["Aaa", "Bbb", "Al", "X", "Kata", "Budi"]), min_size=2, max_size=8
).map("-".join)
TINY = st.sampled_from(["Ini kalimat.", "A.", "Ia pergi.", "Ini kalimat nomor 5.", "Ok!", "Ya?"])
WORD = st.sampled_from(
    ["kata", "menyebut", "said", "Budi", "Minggu", "malam", "tengah malam", "gempa susulan",
     "kedua", "dan", ",", "(10/9)", "Aaaa"]
)  # fmt: skip


def _claims_of(text: str) -> pl.DataFrame:
    """Clean, segment and every claim reader over one article (no facts: see below)."""
    prepared = prepare_articles(_articles({"h": text}))
    return extract_claims(prepared.articles, prepared.sentences, FACTS.empty())


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.one_of(CLOCK, HYPHENATED, TINY, WORD), min_size=10, max_size=40),
    st.sampled_from([" ", "-", ", "]),
)
def test_random_hostile_text_costs_linear_time(pieces: list[str], sep: str) -> None:
    """Clock times, hyphenated capitals and tiny sentences, 8 KB then 32 KB of them.

    The pieces are repeated with the same separator, so a text without a full
    stop is one long sentence (of times, or one hyphenated run). The claim
    readers run without facts: the facts stage has super-linear spots of its
    own on such text, outside these fixes.
    """
    unit = sep.join(pieces) + sep
    small = unit * (8_000 // len(unit) + 1)
    ratio = growth(_claims_of, small, small * 4)
    assert ratio < LINEAR_BOUND, f"4x the text cost {ratio:.1f}x: {unit[:200]!r}"


def test_an_article_past_the_align_cap_is_named_in_the_warnings(tmp_path, monkeypatch) -> None:
    import consistency.stages.align as align_module
    from consistency.config import Settings
    from consistency.pipeline import run
    from tests.conftest import FakeEmbedder

    monkeypatch.setattr(align_module, "MAX_ALIGNED_SENTENCES", 5)
    monkeypatch.setenv("CONSISTENCY_CONFIDENCE_MODEL", "off")
    (tmp_path / "long.txt").write_text(
        " ".join(f"Kalimat nomor {i} ada di sini." for i in range(12)), encoding="utf-8"
    )
    (tmp_path / "short.txt").write_text("Kalimat pendek saja di sini.", encoding="utf-8")
    report = run(
        [str(tmp_path)], Settings(nli_model=None), models=ModelChoice(FakeEmbedder(), None)
    )
    got = [w for w in report.warnings if "were aligned" in w]
    assert len(got) == 1 and got[0].startswith("long:") and "first 5" in got[0]


def test_a_sentence_of_many_times_costs_linear_time_in_the_facts_stage() -> None:
    """Each date or time is checked against the spans taken before it by bisection."""
    import time

    from consistency.facts import extract_facts
    from tests.conftest import make_frames

    def cost(n: int) -> float:
        text = "Pukul " + ", ".join(f"{i % 24}:{i % 60:02d}" for i in range(1, n + 1)) + "."
        arts, sents = make_frames({"a": [[text]]})
        t0 = time.perf_counter()
        extract_facts(arts, sents)
        return time.perf_counter() - t0

    cost(50)  # warm the caches
    small, large = cost(1000), cost(8000)
    assert large / small < 20  # linear: about 8; quadratic: about 64
