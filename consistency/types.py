"""Core types: enums, errors and one named schema per stage frame.

Every stage of the pipeline is a function of Polars frames. The frames passed
between stages are described here, one :class:`Schema` each, so that a stage
can validate what it returns and a test can assert it:

* ``ARTICLES``    ingest -> every later stage
* ``BLOCKS``      clean (paragraph-level spans, kept or dropped with a reason)
* ``SENTENCES``   segment (kept sentences with offsets into the original text)
* ``FACTS``       facts (typed facts with offsets into the original text)
* ``CLAIMS``      claims (what a value is about: slot, subject, value, span)
* ``CLAIM_LINKS`` claims, after embedding (two claims about the same fact, and
  whether their values can both hold)
* ``PAIRS``       align (cross-article sentence pairs)
* ``NLI_SCORES``  judge's NLI step (both directions for each pair)
* ``DIVERGENCES`` judge (findings a reviewer acts on)
* ``STORIES``     stories (which articles of a feed report one event; the
  pipeline runs once per story)

:class:`ExitCode` says what a ``consistency`` process's exit status means (every command,
the library's :class:`~consistency.outputs.check_result.CheckResult` and the review UI).

Offsets (``start``/``end``) are always Python string indices into the
article's ``text`` column, which holds the text exactly as it was read.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl


class Kind(enum.StrEnum):
    """What a divergence is about."""

    ATTRIBUTION = "attribution"
    DATE = "date"
    NUMBER = "number"
    NAME = "name"
    CONTRADICTION = "contradiction"
    UNIQUE = "unique"
    QUOTE = "quote"
    PLACE = "place"


class Severity(enum.StrEnum):
    """How urgently a reviewer should look at a divergence."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 for high, 1 for medium, 2 for low (sort key)."""
        return {"high": 0, "medium": 1, "low": 2}[self.value]

    def at_least(self, other: Severity) -> bool:
        """True when this severity is ``other`` or more urgent."""
        return self.rank <= other.rank


class Verdict(enum.StrEnum):
    """A reviewer's decision on one divergence."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"
    UNSURE = "unsure"


class ExitCode(enum.IntEnum):
    """What a ``consistency`` process's exit status means."""

    OK = 0
    """Success; for ``check``: no finding at or above the ``--fail-on`` threshold."""

    FINDINGS = 1
    """``check`` only: at least one finding at or above the ``--fail-on`` threshold."""

    INPUT_ERROR = 2
    """Usage or input error: bad option, missing or unreadable path, malformed line (named)."""

    INTERNAL_ERROR = 3
    """Internal failure: a model could not be built or loaded (the message says why), or a bug."""

    INTERRUPTED = 130
    """Interrupted by the user (Ctrl-C); nothing already saved is lost."""


class ConsistencyError(Exception):
    """Base class for errors shown to the user as one line."""


class InputError(ConsistencyError):
    """Bad input: a path, file or line that cannot be used.

    Attributes:
        source: the file (or ``<stdin>``) the problem is in.
        problem: what is wrong, in a few words.
    """

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class ModelError(ConsistencyError):
    """A model could not be built or loaded."""


class SchemaError(ConsistencyError):
    """A frame does not match its declared schema (a bug, not bad input)."""


@dataclass(frozen=True)
class Schema:
    """A named frame schema: column names and Polars dtypes, in order.

    Attributes:
        name: the schema's name, e.g. ``"SENTENCES"``.
        columns: column name -> Polars dtype.
    """

    name: str
    columns: Mapping[str, pl.DataType | type[pl.DataType]]

    @property
    def polars_schema(self) -> pl.Schema:
        """The schema as a ``pl.Schema`` (for constructing empty frames)."""
        return pl.Schema(dict(self.columns))

    def empty(self) -> pl.DataFrame:
        """An empty frame with exactly this schema."""
        return pl.DataFrame(schema=self.polars_schema)

    def validate(self, df: pl.DataFrame) -> pl.DataFrame:
        """Check ``df`` has exactly these columns and dtypes, in order.

        Returns:
            ``df`` itself, so that a stage can ``return SCHEMA.validate(out)``.

        Raises:
            SchemaError: a column is missing, extra, out of order or of another type.
        """
        got = df.schema
        if list(got.names()) != list(self.columns):
            raise SchemaError(f"{self.name}: columns {list(got.names())} != {list(self.columns)}")
        for col, dtype in self.columns.items():
            if got[col] != dtype:
                raise SchemaError(f"{self.name}.{col}: dtype {got[col]} != {dtype}")
        return df

    def conform(self, df: pl.DataFrame) -> pl.DataFrame:
        """Select and cast ``df`` to this schema, then validate it."""
        return self.validate(df.select([pl.col(c).cast(t) for c, t in self.columns.items()]))


HIGHLIGHT = pl.List(pl.List(pl.Int64))
"""A list of ``[start, end]`` offset pairs into an article's original text."""

ARTICLES = Schema(
    "ARTICLES",
    {
        "article_id": pl.String,  # stable id: JSONL id, manifest id or file stem
        "source": pl.String,  # path (or "<stdin>", "file.jsonl:LINE") it came from
        "outlet": pl.String,  # nullable
        "title": pl.String,  # nullable
        "url": pl.String,  # nullable
        "published": pl.Date,  # nullable
        "language": pl.String,  # ISO 639-1 code, "und" when unknown
        "text": pl.String,  # text exactly as read (decoded); offsets index into it
        "text_sha": pl.String,  # sha256 hex of text (duplicate detection, caching)
        "published_precision": pl.String,  # day | month | year; null when no date
    },
)

BLOCKS = Schema(
    "BLOCKS",
    {
        "article_id": pl.String,
        "block_idx": pl.Int32,  # paragraph order in the article
        "start": pl.Int64,
        "end": pl.Int64,
        "kept": pl.Boolean,
        "reason": pl.String,  # why dropped ("boilerplate:...", "duplicate"); null when kept
    },
)

SENTENCES = Schema(
    "SENTENCES",
    {
        "article_id": pl.String,
        "sent_idx": pl.Int32,  # order within the article, 0-based, over kept sentences
        "block_idx": pl.Int32,  # the paragraph it belongs to
        "start": pl.Int64,
        "end": pl.Int64,
        "text": pl.String,  # == article text[start:end]
    },
)

FACTS = Schema(
    "FACTS",
    {
        "article_id": pl.String,
        "sent_idx": pl.Int32,
        "fact_type": pl.String,  # speaker | person | number | date | place | org | polarity
        "start": pl.Int64,  # offsets of the surface form in the original text
        "end": pl.Int64,
        "surface": pl.String,  # as written
        "key": pl.String,  # normalised key for matching (names, units, ...)
        "value_num": pl.Float64,  # numbers: the value
        "value_date": pl.Date,  # dates: the resolved date
        "unit": pl.String,  # numbers: what is counted; dates: granularity
        "qualifier": pl.String,  # e.g. more_than, at_least, about, exact; weekday name
        "detail": pl.String,  # JSON object with anything else (title/role, raw parts)
    },
)

CLAIMS = Schema(
    "CLAIMS",
    {
        "claim_id": pl.String,  # "<article_id>:<start>-<end>": unique within a run
        "article_id": pl.String,
        "sent_idx": pl.Int32,
        "slot": pl.String,  # dead, injured, magnitude, time, age, plate, name, count, ...
        "subject": pl.String,  # what/who it is about (place, person, population); nullable
        "value_kind": pl.String,  # count | measure | time | daypart | age | plate | name
        "value": pl.String,  # the value, language-free ("3000", "14:53+7", "ad 7524 dg")
        "value_num": pl.Float64,  # the figure (SI units, minutes after midnight); nullable
        "value_lo": pl.Float64,  # the lowest value the notation allows; nullable
        "value_hi": pl.Float64,  # the highest; nullable
        "qualifier": pl.String,  # exact | more_than | at_least | about | ... | vague | range
        "start": pl.Int64,  # the value's span in the original text
        "end": pl.Int64,
        "surface": pl.String,  # == text[start:end]
        "cue": pl.String,  # the word that named the slot; nullable
        "detail": pl.String,  # JSON object: zone, precision, unit, population, speaker
    },
)

CLAIM_LINKS = Schema(
    "CLAIM_LINKS",
    {
        "a_claim": pl.String,  # a_claim < b_claim
        "b_claim": pl.String,
        "slot": pl.String,
        "similarity": pl.Float32,  # of the two statements (sentence embeddings)
        "compatible": pl.Boolean,  # can both values hold?
        "reason": pl.String,  # why (or why not), in a few words
        "probability": pl.Float32,  # the identity model's P(same fact); null for a rule's link
    },
)

PAIRS = Schema(
    "PAIRS",
    {
        "a_article": pl.String,  # a_article < b_article: each pair once
        "a_idx": pl.Int32,  # sent_idx in a_article
        "b_article": pl.String,
        "b_idx": pl.Int32,
        "similarity": pl.Float32,  # cosine of the two sentence embeddings
        "margin": pl.Float32,  # similarity minus the next-best candidate's
    },
)

NLI_SCORES = Schema(
    "NLI_SCORES",
    {
        "a_article": pl.String,  # the same keys as PAIRS
        "a_idx": pl.Int32,
        "b_article": pl.String,
        "b_idx": pl.Int32,
        "ab_entail": pl.Float32,  # premise a, hypothesis b
        "ab_neutral": pl.Float32,
        "ab_contra": pl.Float32,
        "ba_entail": pl.Float32,  # premise b, hypothesis a
        "ba_neutral": pl.Float32,
        "ba_contra": pl.Float32,
    },
)

DIVERGENCES = Schema(
    "DIVERGENCES",
    {
        "divergence_id": pl.String,
        "kind": pl.String,  # a Kind value
        "severity": pl.String,  # a Severity value
        "score": pl.Float64,  # 0..1, higher = more certain
        "a_article": pl.String,
        "a_idx": pl.Int32,
        "a_start": pl.Int64,
        "a_end": pl.Int64,
        "a_highlight": HIGHLIGHT,
        "b_article": pl.String,  # null for a single-article finding
        "b_idx": pl.Int32,
        "b_start": pl.Int64,
        "b_end": pl.Int64,
        "b_highlight": HIGHLIGHT,
        "explanation": pl.String,
        "evidence": pl.String,  # JSON object: scores, facts compared, NLI probs
        "claim_id": pl.String,  # the claim group the finding belongs to; nullable
    },
)

STORIES = Schema(
    "STORIES",
    {
        "story_id": pl.String,  # "s-" + 12 hex: hash of the sorted text shas of its articles
        "label": pl.String,  # its main names and dates, e.g. "Marapi, Agam (2023-12-03)"
        "first_published": pl.Date,  # the earliest known publication date; nullable
        "last_published": pl.Date,  # the latest; nullable
        "n_articles": pl.Int32,
        "article_ids": pl.List(pl.String),  # sorted
    },
)


def make_divergence_id(
    kind: str,
    a_sha: str,
    a_start: int,
    a_end: int,
    b_sha: str | None = None,
    b_start: int | None = None,
    b_end: int | None = None,
) -> str:
    """A divergence id that is stable across runs for the same input.

    It hashes the kind and both spans, each span keyed by the sha256 of its
    article's text (not by file name), so renaming or re-ordering inputs keeps
    ids, and the two sides are put in a canonical order.

    Returns:
        16 hex characters.
    """
    import hashlib

    sides = [f"{a_sha}:{a_start}:{a_end}"]
    if b_sha is not None:
        sides.append(f"{b_sha}:{b_start}:{b_end}")
    raw = kind + "|" + "|".join(sorted(sides))
    return hashlib.sha256(raw.encode()).hexdigest()[:16]
