"""The CI gate: check NEW articles against a CORPUS and decide pass or fail.

Takes two ARTICLES frames (new articles and the corpus, as read by
:func:`consistency.stages.ingest.read_inputs`), groups them into stories
(:mod:`consistency.stages.stories`), runs the pipeline on each story that holds a new
article with the new articles as its focus (so a NEW article is compared only
with the corpus articles of its story, and a large corpus costs little), and
returns a :class:`CheckResult` whose
``report.divergences`` is a DIVERGENCES frame holding only the findings this
build is answerable for:

* a finding counts when at least one of its sides is a NEW article (a
  disagreement inside the corpus is not this build's fault);
* a single-article finding (``b_article`` null) on a NEW article counts only
  when the run has at least one other article to compare with;
* an effective corpus that is empty (every corpus file a copy of a NEW one,
  which is dropped) is an input error: a gate with nothing to compare passes
  nothing;
* findings in a baseline are dropped: every id of a previous JSON report, and
  every id a reviewer *rejected* in a review session or export (accepted ones
  are real divergences and still count).

The exit status is :attr:`ExitCode.FINDINGS` when a remaining finding is at or
above the ``fail_on`` severity, else :attr:`ExitCode.OK`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from consistency.config import Settings
from consistency.models.bundle import ModelChoice, choose_models
from consistency.outputs.check_result import CheckResult as CheckResult
from consistency.outputs.check_result import at_or_above as at_or_above
from consistency.outputs.report import READ_SCHEMAS, REPORT_SCHEMA, Report, sort_divergences
from consistency.pipeline import RunOptions
from consistency.types import ARTICLES, DIVERGENCES, InputError, Severity, Verdict

if TYPE_CHECKING:
    pass

CORPUS_SUFFIX = "~corpus"
"""Appended to a corpus article's id when it collides with a NEW article's id."""


@dataclass(frozen=True)
class Baseline:
    """Findings not to report again.

    Attributes:
        known: ids from a previous JSON report (suppressed whatever their verdict).
        rejected: ids a reviewer rejected as false alarms (suppressed).
        source: the file it was read from.
    """

    known: frozenset[str] = frozenset()
    rejected: frozenset[str] = frozenset()
    source: str = ""

    @property
    def suppressed(self) -> frozenset[str]:
        """Every id this baseline suppresses."""
        return self.known | self.rejected


def select_findings(
    divergences: pl.DataFrame, new_ids: Sequence[str], n_articles: int
) -> pl.DataFrame:
    """The findings the gate counts (same schema back).

    Args:
        divergences: a DIVERGENCES frame.
        new_ids: ids of the NEW articles.
        n_articles: how many articles the run compared (NEW and corpus together).

    Returns:
        Findings with at least one side in ``new_ids``; single-article
        findings only when ``n_articles >= 2``.
    """
    new = pl.Series(list(new_ids), dtype=pl.String).implode()
    touches = pl.col("a_article").is_in(new) | pl.col("b_article").is_in(new).fill_null(False)
    single = pl.col("b_article").is_null()
    keep = touches & (~single | pl.lit(n_articles >= 2))
    return DIVERGENCES.validate(divergences.filter(keep))


def _match_sha(text: str) -> str:
    import hashlib

    from consistency.text.normalise import match_text

    return hashlib.sha256(match_text(text).encode("utf-8")).hexdigest()


def combine_articles(
    new: pl.DataFrame, corpus: pl.DataFrame
) -> tuple[pl.DataFrame, tuple[str, ...], tuple[str, ...]]:
    """Put NEW and CORPUS articles in one ARTICLES frame.

    A corpus article whose text equals a NEW article's under the matching
    view (:func:`consistency.text.normalise.match_view`: line endings, a BOM and
    invisible characters do not count) is dropped (a copy of itself is not a
    disagreement); so are repeated NEW articles. A corpus article whose id
    collides with a NEW article's but whose text differs is kept under
    ``<id>~corpus``.

    Returns:
        ``(articles, new_ids, dropped_copies)``.
    """
    ARTICLES.validate(new)
    ARTICLES.validate(corpus)
    new = new.unique(subset="text_sha", keep="first", maintain_order=True)
    new_ids = tuple(new["article_id"].to_list())
    # a copy is the same text under the matching view (a CRLF or BOM copy too)
    shas = pl.Series([_match_sha(t) for t in new["text"]], dtype=pl.String).implode()
    same = pl.Series([_match_sha(t) for t in corpus["text"]], dtype=pl.String).is_in(shas)
    copies = corpus.filter(same)
    rest = corpus.filter(~same)
    taken = set(new_ids)
    ids = []
    for aid in rest["article_id"].to_list():
        out = aid
        while out in taken:
            out += CORPUS_SUFFIX
        taken.add(out)
        ids.append(out)
    rest = rest.with_columns(pl.Series("article_id", ids, dtype=pl.String))
    articles = ARTICLES.validate(pl.concat([new, rest], how="vertical"))
    return articles, new_ids, tuple(copies["article_id"].to_list())


def require_comparison(
    articles: pl.DataFrame, new_ids: Sequence[str], dropped: Sequence[str], corpus: pl.DataFrame
) -> None:
    """Refuse a check with no NEW article or nothing left to compare against.

    Args:
        articles, new_ids, dropped: what :func:`combine_articles` returned.
        corpus: the corpus it was given (its sources name the problem).

    Raises:
        InputError: no NEW article, or the effective corpus is empty.
    """
    if not new_ids:
        raise InputError("NEW", "no new article to check")
    if articles.height == len(new_ids):
        what = "every corpus article is a copy of a NEW one" if dropped else "the corpus is empty"
        sources = ", ".join(corpus["source"].to_list()[:3]) or "CORPUS"
        raise InputError(sources, f"nothing to compare against: {what}")


BASELINE_FORMATS = (
    "--baseline takes a consistency.outputs.report JSON report (.json), a review session "
    "(.sqlite) or a review export (.jsonl, .csv)"
)
"""What ``--baseline`` accepts, in words (error messages quote it)."""


def _is_sarif(d: object) -> bool:
    return isinstance(d, dict) and (
        "sarif" in str(d.get("$schema", "")).lower() or ("runs" in d and "version" in d)
    )


BASELINE_MAX_BYTES = 256 * 1024 * 1024
"""A baseline or verdicts file larger than this is refused (never read past it)."""


def _read_baseline_text(path: Path, encoding: str) -> str:
    """The file's text, read to at most :data:`BASELINE_MAX_BYTES` plus one byte.

    Raises:
        InputError: unreadable, too large, or not in ``encoding``.
    """
    from consistency.stages.ingest import read_limited

    try:
        data = read_limited(path, BASELINE_MAX_BYTES)
        if data is None:
            raise InputError(str(path), f"exceeds the limit of {BASELINE_MAX_BYTES >> 20} MB")
        return data.decode(encoding)
    except OSError as e:
        raise InputError(str(path), f"unreadable ({e.strerror or e})") from None
    except UnicodeDecodeError as e:
        raise InputError(str(path), f"not UTF-8 ({e.reason} at byte {e.start})") from None


def _baseline_json(text: str, where: str, what: str) -> object:
    """``json.loads``; what it cannot read (malformed, an integer of more than 4,300
    digits, nesting too deep) is an InputError naming ``where``: ``what (why)``."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(where, f"{what} ({e.msg}, column {e.colno})") from None
    except ValueError as e:  # an integer too long to convert
        raise InputError(where, f"{what} ({str(e).split(';')[0]})") from None
    except RecursionError:
        raise InputError(where, f"{what} (nested too deeply)") from None


def _verdict_rows(path: Path) -> list[tuple[str, dict[str, object]]]:
    """``(FILE:LINE, record)`` of a review export (``.jsonl`` or ``.csv``).

    CSV is read as ``utf-8-sig``: a spreadsheet may save it with a byte-order mark.

    Raises:
        InputError: unreadable, not UTF-8, a line that is not a JSON object, a
            malformed CSV row (naming the file and line).
    """
    import csv
    import io

    source = str(path)
    raw = _read_baseline_text(path, "utf-8-sig")
    out: list[tuple[str, dict[str, object]]] = []
    if path.suffix.lower() == ".jsonl":
        for i, line in enumerate(raw.split("\n"), start=1):
            if not line.strip():
                continue
            where = f"{source}:{i}"
            obj = _baseline_json(line, where, "malformed JSON line")
            if not isinstance(obj, dict):
                raise InputError(where, "not a verdicts export (a line is not a JSON object)")
            out.append((where, obj))
        return out
    reader = csv.reader(io.StringIO(raw, newline=""))
    try:
        header = [h.strip() for h in next(reader, [])]
        for cells in reader:
            if any(c.strip() for c in cells):
                out.append((f"{source}:{reader.line_num}", dict(zip(header, cells, strict=False))))
    except csv.Error as e:
        raise InputError(f"{source}:{reader.line_num}", f"malformed CSV row: {e}") from None
    return out


def read_verdict_file(path: Path | str) -> pl.DataFrame:
    """Verdicts from a review export (``.jsonl``/``.csv``) or session (SQLite): a VERDICTS frame.

    Like :func:`consistency.outputs.verdicts.read_verdicts`, but every record is
    checked and a bad one named by file and line: a CSV saved with a
    byte-order mark is read, a JSONL line that is not an object, an ``id``
    that is not a string or a number, an unknown verdict, an integer too long
    or nesting too deep are input errors.

    Raises:
        InputError: missing file, or a record that cannot be read (FILE:LINE).
    """
    from consistency.outputs.review_files import CSV_FORMULA_START, VERDICTS
    from consistency.outputs.verdicts import read_verdicts

    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "no such verdicts file")
    if path.suffix.lower() not in (".jsonl", ".csv"):
        return read_verdicts(path)

    def text(value: object, where: str, name: str) -> str | None:
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise InputError(where, f"not a verdicts export ({name!r} is not a string)")
        s = str(value)
        if s.startswith("'") and s[1:].startswith(CSV_FORMULA_START):  # see csv_safe
            s = s[1:]
        return s

    rows = []
    for where, r in _verdict_rows(path):
        rid = text(r.get("id"), where, "id")
        if rid is None:
            raise InputError(where, "not a verdicts export (no 'id')")
        verdict = text(r.get("verdict"), where, "verdict")
        try:
            verdict = Verdict(verdict).value if verdict else None
        except ValueError:
            line = where.rsplit(":", 1)[-1]
            problem = f"not a verdicts export (line {line}: unknown verdict {verdict!r})"
            raise InputError(str(path), problem) from None
        rows.append(
            {
                "divergence_id": rid,
                "verdict": verdict,
                "note": text(r.get("note"), where, "note"),
                "reviewer": text(r.get("reviewer"), where, "reviewer") or "",
                "decided_at": text(r.get("decided_at"), where, "decided_at") or "",
            }
        )
    df = pl.DataFrame(rows, schema=VERDICTS.polars_schema)
    return VERDICTS.validate(
        df.filter(pl.col("verdict").is_not_null() | pl.col("note").is_not_null())
    )


def load_baseline(path: Path | str) -> Baseline:
    """Read a baseline: a ``consistency.report/1`` JSON report or a review file.

    A ``.json`` file is read as a report (all its ids are known); ``.jsonl``
    and ``.csv`` exports (a CSV saved with a byte-order mark too) and review
    sessions (SQLite) are read as verdicts (rejected ids are suppressed).

    Raises:
        InputError: missing or unreadable file, or not one of these forms; a
            malformed line is named (FILE:LINE).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "no such baseline file")
    if path.suffix.lower() == ".json":
        raw = _read_baseline_text(path, "utf-8")
        d = _baseline_json(raw, str(path), "not a readable JSON report")
        if not isinstance(d, dict) or d.get("schema") not in READ_SCHEMAS:
            what = "a SARIF log" if _is_sarif(d) else f"not a {REPORT_SCHEMA} report"
            raise InputError(str(path), f"{what}; {BASELINE_FORMATS}")
        try:
            found = [*d["divergences"], *(d.get("uncorroborated") or [])]
            ids = frozenset(str(f["id"]) for f in found)
        except (KeyError, TypeError) as e:
            raise InputError(str(path), f"malformed report ({type(e).__name__}: {e})") from None
        return Baseline(known=ids, source=str(path))
    if path.suffix.lower() not in (".jsonl", ".csv"):
        try:
            with path.open("rb") as fh:
                head = fh.read(16)
        except OSError as e:
            raise InputError(str(path), f"unreadable baseline ({e.strerror or e})") from None
        if head != b"SQLite format 3\x00":
            what = "a SARIF log" if path.suffix.lower() == ".sarif" else "not a baseline"
            raise InputError(str(path), f"{what}; {BASELINE_FORMATS}")
    verdicts = read_verdict_file(path)
    rejected = verdicts.filter(pl.col("verdict") == Verdict.REJECTED.value)["divergence_id"]
    return Baseline(rejected=frozenset(rejected.to_list()), source=str(path))


def apply_baseline(divergences: pl.DataFrame, baseline: Baseline) -> tuple[pl.DataFrame, int]:
    """Drop the findings ``baseline`` suppresses; returns ``(kept, number dropped)``."""
    ids = pl.Series(sorted(baseline.suppressed), dtype=pl.String).implode()
    kept = divergences.filter(~pl.col("divergence_id").is_in(ids))
    return DIVERGENCES.validate(kept), divergences.height - kept.height


def finish(
    report: Report,
    new_ids: Sequence[str],
    *,
    fail_on: Severity | str = Severity.HIGH,
    baseline: Baseline | None = None,
    dropped_copies: Sequence[str] = (),
    stats: dict[str, float] | None = None,
) -> CheckResult:
    """Narrow a pipeline report to what the gate counts and wrap it as a CheckResult."""
    divs = select_findings(report.divergences, new_ids, report.articles.height)
    suppressed = 0
    if baseline is not None:
        divs, suppressed = apply_baseline(divs, baseline)
    return CheckResult(
        report=replace(report, divergences=sort_divergences(divs)),
        new_ids=tuple(new_ids),
        fail_on=Severity(fail_on),
        dropped_copies=tuple(dropped_copies),
        suppressed=suppressed,
        stats=dict(stats or {}),
    )


def _alone(report: Report, new_ids: Sequence[str]) -> list[str]:
    """The NEW articles whose story holds no corpus article."""
    new = set(new_ids)
    out: list[str] = []
    for aids in report.story_frame()["article_ids"].to_list():
        if all(a in new for a in aids):
            out.extend(a for a in new_ids if a in aids)
    return out


def check_articles(
    new: pl.DataFrame,
    corpus: pl.DataFrame,
    settings: Settings | None = None,
    models: ModelChoice | None = None,
    options: RunOptions | None = None,
    *,
    fail_on: Severity | str = Severity.HIGH,
    baseline: Baseline | None = None,
) -> CheckResult:
    """Check NEW articles against a CORPUS (both ARTICLES frames).

    Args:
        new: the articles under test.
        corpus: what is already published.
        settings: models and thresholds.
        models: which models (default: the settings'; :func:`choose_models
            <consistency.models.bundle.choose_models>` puts them behind the cache, to
            reuse work).
        options: progress, warnings carried into the report, the index cache the
            corpus's FAISS index is reused from, ``one_story`` (compare the NEW articles
            with the whole corpus, no story grouping); the focus is the NEW articles.
        fail_on: the lowest severity that fails the check.
        baseline: findings not to report again.

    A NEW article whose story holds no corpus article is compared with nothing
    (a warning says so); only its single-article findings can count.
    """
    from consistency.runner.feed import run_feed

    articles, new_ids, dropped = combine_articles(new, corpus)
    require_comparison(articles, new_ids, dropped, corpus)
    focused = replace(options or RunOptions(), focus=new_ids)
    report = run_feed(articles, settings, models, focused)
    alone = _alone(report, new_ids)
    if alone:
        extra = tuple(
            f"{a}: no corpus article reports its story; compared with nothing" for a in alone
        )
        report = replace(report, warnings=(*report.warnings, *extra))
    return finish(report, new_ids, fail_on=fail_on, baseline=baseline, dropped_copies=dropped)


def check(
    new_inputs: Sequence[str],
    corpus_inputs: Sequence[str],
    settings: Settings | None = None,
    models: ModelChoice | None = None,
    *,
    fail_on: Severity | str = Severity.HIGH,
    baseline: Path | str | None = None,
    cache_dir: Path | str | None = None,
    use_cache: bool = True,
    progress: Callable[[str, int, int], None] | None = None,
    one_story: bool = False,
    follow_links: bool = False,
) -> CheckResult:
    """Read NEW and CORPUS inputs (paths, directories, ``-``) and check them.

    With ``use_cache`` (and no ``models`` given), embeddings and NLI results
    are cached under ``cache_dir`` (default :func:`consistency.models.cache.default_cache_dir`;
    :func:`~consistency.models.bundle.choose_models`).
    ``follow_links``: read files in an input folder that link outside it (see
    :func:`consistency.stages.ingest.read_inputs`).

    Raises:
        InputError: an input or the baseline cannot be read.
        ModelError: a model could not be loaded.
    """
    import time

    from consistency.stages.ingest import read_inputs

    settings = settings or Settings()
    base = load_baseline(baseline) if baseline is not None else None
    limit, links = settings.max_file_bytes, follow_links
    new = read_inputs(list(new_inputs), max_bytes=limit, warn_single=False, follow_links=links)
    corpus = read_inputs(
        list(corpus_inputs), max_bytes=limit, warn_single=False, follow_links=links
    )
    require_comparison(*combine_articles(new.articles, corpus.articles), corpus.articles)
    extra: dict[str, object] = {}
    if models is None:
        models, extra = choose_models(settings, cache_dir, use_cache=use_cache)
    t0 = time.perf_counter()
    options = RunOptions(
        progress=progress,
        warnings=[*new.warnings, *corpus.warnings],
        index_cache=extra.get("index_cache"),  # type: ignore[arg-type]
        one_story=one_story,
    )
    result = check_articles(
        new.articles, corpus.articles, settings, models, options, fail_on=fail_on, baseline=base
    )
    stats: dict[str, float] = {"seconds": time.perf_counter() - t0}
    index = extra.get("index_cache")
    for name, model in (("embed", models.embedder), ("nli", models.nli), ("index", index)):
        for attr in ("hits", "misses"):
            if hasattr(model, attr) and not isinstance(model, str):
                stats[f"{name}_{attr}"] = float(getattr(model, attr))
    store = extra.get("store")
    if store is not None:
        store.close()  # type: ignore[attr-defined]
    return replace(result, stats=stats)
