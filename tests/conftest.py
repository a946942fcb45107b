"""What the tests share: small, fast stand-ins for the real models, frames built from
sentences, the CI gate's working folder, and the claims stage's helpers.

The end-to-end tests (marked ``slow``) use the real embedding and NLI models. Helpers are
imported from here (``from tests.conftest import FakeEmbedder``); fixtures (``work``)
come by name.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import hashlib
import re
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
from click.testing import CliRunner

from consistency import pipeline
from consistency.claims import extract_claims, group_claims, link_claims
from consistency.cli.check import command
from consistency.facts import extract_facts
from consistency.judge import ClaimContext, RuleJudge
from consistency.models.protocols import NLI_LABELS
from consistency.outputs.report import Report
from consistency.pipeline import RunOptions
from consistency.types import (
    ARTICLES,
    DIVERGENCES,
    FACTS,
    PAIRS,
    SENTENCES,
    make_divergence_id,
)
from tests.check_case import CORPUS_TEXT, NEW_TEXT

TESTS_DIR = Path(__file__).resolve().parent
"""The tests folder."""
TEST_DATA = TESTS_DIR / "data"
"""The tests' fixtures (hand-made reports, inputs, gold sets, schemas)."""
REPO_ROOT = TESTS_DIR.parent
"""The repository root (its ``data/`` holds the sample articles); tests in any folder use
these paths, never their own ``__file__``."""

# -- fake models ----------------------------------------------------------------------


class FakeEmbedder:
    """Bag-of-words hashed into 256 dimensions: similar word sets, similar vectors."""

    model_id = "fake-bow-256"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.calls: list[int] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(len(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in re.findall(r"\w+", t.lower()):
                h = int.from_bytes(hashlib.md5(w.encode()).digest()[:4], "little")
                out[i, h % self.dim] += 1.0
            norm = np.linalg.norm(out[i])
            if norm:
                out[i] /= norm
        return out


class FakeNLI:
    """Contradiction when exactly one side has a negation word, else entailment."""

    model_id = "fake-nli"
    labels = NLI_LABELS

    def predict(self, premises: Sequence[str], hypotheses: Sequence[str]) -> np.ndarray:
        neg = re.compile(r"\b(tidak|bukan|not|never|membantah|denied)\b", re.I)
        out = np.zeros((len(premises), 3), dtype=np.float32)
        for i, (p, h) in enumerate(zip(premises, hypotheses, strict=True)):
            if bool(neg.search(p)) != bool(neg.search(h)):
                out[i] = (0.05, 0.05, 0.9)
            else:
                out[i] = (0.9, 0.05, 0.05)
        return out


def sentences_frame(rows: Sequence[tuple[str, int, str]]) -> pl.DataFrame:
    """A SENTENCES frame of (article id, sentence index, text) rows, one block each."""
    return SENTENCES.conform(
        pl.DataFrame(
            [
                {
                    "article_id": a,
                    "sent_idx": i,
                    "block_idx": 0,
                    "start": 0,
                    "end": len(t),
                    "text": t,
                }
                for a, i, t in rows
            ]
        )
    )


def sync(fn: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test with asyncio.run (no async pytest plugin needed)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(fn(*args, **kwargs))

    return wrapper


# -- frames from sentences ------------------------------------------------------------


def make_frames(
    docs: dict[str, list[list[str]]],
    published: dict[str, dt.date | None] | None = None,
    language: str = "id",
    outlets: dict[str, str] | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """ARTICLES and SENTENCES for articles given as paragraphs of sentences."""
    arts, sents = [], []
    for aid, paragraphs in docs.items():
        text = ""
        idx = 0
        for b, para in enumerate(paragraphs):
            if text:
                text += "\n\n"
            for k, s in enumerate(para):
                if k:
                    text += " "
                sents.append(
                    {
                        "article_id": aid,
                        "sent_idx": idx,
                        "block_idx": b,
                        "start": len(text),
                        "end": len(text) + len(s),
                        "text": s,
                    }
                )
                text += s
                idx += 1
        arts.append(
            {
                "article_id": aid,
                "source": f"{aid}.txt",
                "outlet": (outlets or {}).get(aid),
                "title": None,
                "url": None,
                "published": (published or {}).get(aid),
                "language": language,
                "text": text,
                "text_sha": hashlib.sha256(text.encode()).hexdigest(),
            }
        )
    return (
        ARTICLES.conform(pl.DataFrame(arts, schema=ARTICLES.polars_schema)),
        SENTENCES.conform(pl.DataFrame(sents, schema=SENTENCES.polars_schema)),
    )


def offsets_hold(rep) -> None:  # type: ignore[no-untyped-def]
    """Every span of every frame of a report indexes its article's original text."""
    texts = dict(rep.articles.select("article_id", "text").iter_rows())
    for r in rep.sentences.iter_rows(named=True):
        assert texts[r["article_id"]][r["start"] : r["end"]] == r["text"]
    for frame in (rep.facts, rep.claims):
        for r in frame.iter_rows(named=True):
            assert texts[r["article_id"]][r["start"] : r["end"]] == r["surface"]
    for r in rep.divergences.iter_rows(named=True):
        for p in ("a", "b"):
            aid = r[f"{p}_article"]
            if aid is None:
                continue
            n = len(texts[aid])
            assert 0 <= r[f"{p}_start"] <= r[f"{p}_end"] <= n
            assert all(0 <= s <= e <= n for s, e in r[f"{p}_highlight"])


# -- the claims stage -----------------------------------------------------------------


OUTLETS = {"a": "Outlet A", "b": "Outlet B", "c": "Outlet C"}


def frames(docs, published=None):
    arts, sents = make_frames(docs, published, outlets=OUTLETS)
    facts = extract_facts(arts, sents)
    return arts, sents, extract_claims(arts, sents, facts)


def same_vectors(sents: pl.DataFrame) -> np.ndarray:
    """Every sentence the same vector: similarity 1.0 everywhere."""
    v = np.ones((sents.height, 4), dtype=np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def context(docs, published=None) -> ClaimContext:
    arts, sents, claims = frames(docs, published)
    links = link_claims(claims, sents, same_vectors(sents))
    return ClaimContext(arts, sents, claims, links, group_claims(claims, links))


def judge_docs(docs) -> pl.DataFrame:
    arts, sents, claims = frames(docs)
    facts = extract_facts(arts, sents)
    v = np.eye(sents.height, max(8, sents.height), dtype=np.float32)  # nothing links
    links = link_claims(claims, sents, v)
    return RuleJudge().judge(
        arts, sents, facts, PAIRS.empty(), None, claims=claims, links=links, groups={}
    )


def judge_linked(docs) -> pl.DataFrame:
    arts, sents, claims = frames(docs)
    facts = extract_facts(arts, sents)
    links = link_claims(claims, sents, same_vectors(sents))
    return RuleJudge().judge(
        arts,
        sents,
        facts,
        PAIRS.empty(),
        None,
        claims=claims,
        links=links,
        groups=group_claims(claims, links),
    )


# -- NLI gating -------------------------------------------------------------------------


GATING_DOCS = {
    "a": [
        [
            "Gempa itu menewaskan 162 orang di Cianjur, kata BNPB.",
            "Pertemuan kedua pemimpin untuk membahas kerja sama senjata digelar di Vladivostok.",
            "Rusia akan menerima amunisi dari Korea Utara untuk perang di Ukraina.",
            "Pemerintah Korea Utara membantah telah mengirim senjata ke Rusia pekan ini.",
            "Banjir merendam ratusan rumah warga di pinggir sungai itu sejak Senin pagi.",
            "Sebanyak 162 orang tewas.",
        ]
    ],
    "b": [
        [
            "Menurut catatan terbaru, korban meninggal akibat bencana tersebut mencapai 268 orang.",
            "Pertemuan kedua pemimpin untuk membahas kerja sama senjata digelar di Moskow.",
            "Korea Utara akan mengirim bahan mentah ke Moskow untuk industri pertahanan.",
            "Pemerintah Korea Utara mengakui telah mengirim senjata ke Rusia pekan ini.",
            "Banjir merendam ratusan rumah  warga di pinggir sungai itu sejak Senin pagi.",
            "Sebanyak 200 orang tewas.",
        ]
    ],
    "c": [["The meeting of the two leaders to discuss arms cooperation was held in Moscow."]],
}


# -- reports and command-line errors ----------------------------------------------------


def ids_of(report: Report) -> list[str]:
    """A report's finding ids in the order it shows them."""
    return report.sorted_divergences()["divergence_id"].to_list()


def one_error_line(result: Any, *needles: str) -> str:
    """The one ``consistency: error:`` line of a CLI result (no traceback), holding ``needles``."""
    assert "Traceback" not in result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("consistency: error:")]
    assert len(lines) == 1, result.stderr
    for n in needles:
        assert n in lines[0], lines[0]
    return str(lines[0])


# -- the CI gate with a fake pipeline ---------------------------------------------------


def fake_run_story(
    articles: pl.DataFrame,
    settings: Any = None,
    models: Any = None,
    options: RunOptions | None = None,
    **kw: Any,
) -> Report:
    """Stands in for :func:`consistency.pipeline.run_story` (``focus`` and ``warnings`` may
    also come as keywords, for a direct call)."""
    if options is None:
        options = RunOptions(focus=kw.get("focus"), warnings=kw.get("warnings") or ())
    focus = set(options.focus or ())
    rows = []
    arts = articles.to_dicts()
    for a in arts:
        if a["article_id"] not in focus:
            continue
        if "rudal" in a["text"] and len(arts) >= 1:
            s = a["text"].index("rudal")
            rows.append(
                {
                    "divergence_id": make_divergence_id("unique", a["text_sha"], s, s + 5),
                    "kind": "unique",
                    "severity": "low",
                    "score": 0.3,
                    "a_article": a["article_id"],
                    "a_idx": 0,
                    "a_start": s,
                    "a_end": s + 5,
                    "a_highlight": [[s, s + 5]],
                    "explanation": "only here",
                    "evidence": "{}",
                }
            )
        if "Watson" not in a["text"]:
            continue
        for b in arts:
            if b["article_id"] == a["article_id"] or "Kirby" not in b["text"]:
                continue
            s, t = a["text"].index("Watson"), b["text"].index("Kirby")
            rows.append(
                {
                    "divergence_id": make_divergence_id(
                        "attribution", a["text_sha"], s, s + 6, b["text_sha"], t, t + 5
                    ),
                    "kind": "attribution",
                    "severity": "high",
                    "score": 0.9,
                    "a_article": a["article_id"],
                    "a_idx": 0,
                    "a_start": s,
                    "a_end": s + 6,
                    "a_highlight": [[s, s + 6]],
                    "b_article": b["article_id"],
                    "b_idx": 0,
                    "b_start": t,
                    "b_end": t + 5,
                    "b_highlight": [[t, t + 5]],
                    "explanation": "Watson here, Kirby there",
                    "evidence": "{}",
                }
            )
    divs = DIVERGENCES.conform(pl.DataFrame(rows, schema=DIVERGENCES.polars_schema))
    return Report(
        articles=articles,
        sentences=SENTENCES.empty(),
        facts=FACTS.empty(),
        pairs=PAIRS.empty(),
        divergences=divs,
        generated_by={"version": "test"},
        warnings=tuple(options.warnings or ()),
    )


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONSISTENCY_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(pipeline, "run_story", fake_run_story)
    # no models: check() must not build any when the pipeline is faked
    monkeypatch.setattr("consistency.models.cached.cached_models", lambda *a, **k: (None, None, {}))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "kirby.txt").write_text(CORPUS_TEXT, encoding="utf-8")
    (corpus / "watson.txt").write_text(NEW_TEXT, encoding="utf-8")
    (tmp_path / "new.txt").write_text(NEW_TEXT, encoding="utf-8")
    return tmp_path


def invoke(*args: str) -> Any:
    return CliRunner().invoke(command, list(args), catch_exceptions=False)
