"""Comparator: values of one claim that cannot both hold (counts, measures, times, ages, plates).

Reads CLAIM_LINKS whose values are incompatible and makes a finding per pair
of differing values: for the :attr:`ValueConflicts.per_value_pair` pairs of
articles whose statements are most alike (a figure copied by many outlets
does not make a finding per outlet), and the most alike pair across two
languages when none of those is (a translation is where figures drift). A
toll that rises between reports published on different days is still
reported, at low severity, explained as such.

The explanation names what the values are about (:func:`label`: the slot, the
place when the sentence writes it as a name, the moment of a clock time), each
value as its outlet wrote it (:func:`written`: its qualifying words, figure and
unit, never the SI figure compared) with its outlet, and why they cannot both
hold in words (:func:`plain_reason`), in the language of ``ctx.explain``.
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from typing import Any

import polars as pl

from consistency import lang
from consistency.claims.entities import relation
from consistency.claims.places import ALL_PLACES
from consistency.claims.rows import headline_like
from consistency.claims.slot_table import names_where
from consistency.judge.base import ClaimContext, Finding
from consistency.judge.explain import ENGLISH_SLOTS, Explainer, as_written, capital, quoted
from consistency.lang.lexicon import MONTHS, WEEKDAY_INDEX, WEEKDAYS
from consistency.types import Kind, Severity

RISING = frozenset(names_where(lambda s: s.rises))
"""Slots whose figures grow as a story develops."""

MEASURED = frozenset(names_where(lambda s: s.per_agency))
"""Slots each measuring agency reads for itself: two agencies' readings differ without a drift."""


_ACRONYM = re.compile(r"(?<![\w-])[A-Z]{2,6}(?![\w-])")


@cache
def _not_agencies() -> frozenset[str]:
    data = lang.merged("claims")
    return frozenset(w.upper() for key in ("time_zones", "units") for w in data.get(key, {}))


@cache
def _agency_names() -> tuple[tuple[str, str], ...]:
    """(a measuring agency's name written out, lower case; its acronym), longest first."""
    names: dict[str, str] = {}
    for code in lang.LANGUAGES:
        for acronym, written in (lang.load(code, "claims").get("measuring_agencies") or {}).items():
            names.update({w.lower(): acronym.lower() for w in written})
    return tuple(sorted(names.items(), key=lambda kv: -len(kv[0])))


@lru_cache(maxsize=4096)
def _agencies(text: str) -> tuple[str, ...]:
    """Who took a reading, as the sentence names them ("AFAD", "USGS", "the U.S. Geological
    Survey"; ``lang/<code>/claims.json`` ``measuring_agencies``), by acronym."""
    low = text.lower()
    named = [acronym for name, acronym in _agency_names() if name in low]
    return tuple(named) + tuple(
        m.group(0).lower() for m in _ACRONYM.finditer(text) if m.group(0) not in _not_agencies()
    )


def reading_agencies(ctx: ClaimContext, claim: dict[str, Any]) -> list[str]:
    """The agencies a measure's sentence names, else the measuring agencies of the
    sentences beside it, else (for a headline) the one its article names.

    "Gempa ... magnitudo 5,6 mengguncang Cianjur." then "BMKG menyebut pusat gempa
    ...": the reading is BMKG's; so is a headline's in an article that names BMKG alone.
    """
    own = list(_agencies(ctx.sentence_text(claim)))
    if own:
        return own
    # further off, only the measuring agencies the language files know: another
    # sentence's acronym may be an outlet's or a rescue agency's ("BBC", "BNPB")
    known = {acronym for _, acronym in _agency_names()}
    aid, i = ctx.where(claim)
    near: list[str] = []
    for j in (i - 1, i + 1):
        row = ctx.sentence.get((aid, j))
        if row is not None:
            near += [a for a in _agencies(row["text"]) if a in known]
    if near or not headline_like(ctx.sentence_text(claim)):
        return near
    # a headline sums up its body: its reading is that of the one agency the body names
    text = (ctx.article.get(aid) or {}).get("text") or ""
    named = {a for a in _agencies(text) if a in known}
    return sorted(named) if len(named) == 1 else []


def _other_sources(a: list[str], b: list[str]) -> bool:
    """Both statements credit a source, and no source of one is a source of the other."""
    if not a or not b:
        return False
    return all(relation(x, y) == "different" for x in a for y in b)


SURE_SAME_FACT = 0.8
"""Under this probability that two figures state one fact (the identity model's), a
conflict between them is at most MEDIUM. Scored leave one cluster out on the fact tables
(shipped configuration): HIGH findings 63/117 correct with the cap at 0.8, 94/168 at 0.5,
and updates flagged HIGH 4 against 7; the probability itself is not calibrated (findings
at 0.5 or more were 0.58 to 0.77 correct per 0.1 bin, under 0.5 0.31 to 0.52)."""

HEADLINE_PENALTY = 0.02
"""How much less alike a pair with a headline counts in choosing the pair shown."""


def _across(ctx: ClaimContext, x: dict[str, Any], y: dict[str, Any]) -> bool:
    """Whether two claims are in articles of two different known languages."""
    la = (ctx.article.get(x["article_id"]) or {}).get("language")
    lb = (ctx.article.get(y["article_id"]) or {}).get("language")
    return bool(la and lb and la != lb)


SLOT_WORDS = ENGLISH_SLOTS
"""Slot -> the English words it is named by: the table's labels and the slots it does not hold."""


def slot_words(claim: dict[str, Any]) -> str:
    """A few English words naming the claim's slot ("the death toll", "the count of students")."""
    base = SLOT_WORDS.get(claim["slot"], f"the {claim['slot']}")
    pop = (claim.get("detail") or {}).get("population")
    if claim["slot"] == "count" and pop:
        base = f"the count of {pop}"
    if claim["slot"] == "age" and claim.get("subject"):
        base = f"the age of {claim['subject'].title()}"
    if claim["subject"] and claim["slot"] not in ("age", "plate"):
        base += f" in {claim['subject'].title()}"
    return base


def place_name(ctx: ClaimContext, claim: dict[str, Any], ex: Explainer) -> str | None:
    """Where a figure was counted, as its sentence writes it, when that is a name ("Derna").

    The claims stage reads any capitalised word after "di"/"in" as a place; one
    the story also writes in lower case ("Dalam", "Distrik", "Jalan") is a word,
    not a name, and is not shown; nor is a place of all the event's places.
    """
    subject = claim.get("subject")
    if not subject or subject == ALL_PLACES:
        return None
    text = ctx.sentence_text(claim)
    shown: list[tuple[int, str]] = []
    for part in subject.split("+"):
        if not part or any(w in ctx.vocabulary for w in part.split()):
            return None
        written = as_written(part, text)
        if written is None or not written[:1].isupper():
            return None
        at = text.find(written)
        shown.append((at, _whole_name(text, at, written, ctx.vocabulary)))
    return ex.join([w for _, w in sorted(shown)])


_NEXT_NAME_WORD = re.compile(r" ([A-Z][\w'’-]*)")


def _whole_name(text: str, at: int, written: str, vocabulary: frozenset[str]) -> str:
    """A place's name with the capitalised words that follow it ("Semenanjung Noto", "Posko
    PMI"; the claims stage keys a place by its first word); not a weekday or a month
    ("di Turki Senin"), nor a word the story writes in lower case."""
    end, out = at + len(written), written
    for _ in range(3):
        m = _NEXT_NAME_WORD.match(text, end)
        word = m.group(1).lower() if m else ""
        if not m or word in vocabulary or word in WEEKDAYS or word in MONTHS:
            break
        out, end = f"{out} {m.group(1)}", m.end()
    return out


def label(ctx: ClaimContext, claim: dict[str, Any], ex: Explainer | None = None) -> str:
    """The words naming what a claim is about, in the explanations' language.

    "the death toll in Derna", "the number of students", "the age of Muhammad
    Adan", "the time the fire was put out" (a clock time is named by the moment
    it is of), "the part of the day on Sunday". ``ex``: the language (the context's).
    """
    ex = ex or ctx.explain
    slot, subject = claim["slot"], claim.get("subject")
    if slot == "time":
        return ex.moment(subject) or ex.slot(slot)
    if slot == "daypart":
        day = WEEKDAY_INDEX.get(subject or "")
        return ex.slot(slot) if day is None else ex.text("label_daypart", weekday=ex.weekday(day))
    if slot == "age" and subject:
        person = as_written(subject, ctx.sentence_text(claim)) or subject.title()
        return ex.text("label_age", person=person)
    if slot == "bearing" and subject:
        place = as_written(subject, ctx.sentence_text(claim)) or subject.title()
        return ex.text("label_bearing", place=place)
    base = ex.slot(slot)
    pop = (claim.get("detail") or {}).get("population")
    if slot == "count" and pop:
        base = ex.text("label_count_of", population=ex.population(pop))
    place = place_name(ctx, claim, ex) if slot != "plate" else None
    return ex.text("label_place", label=base, place=place) if place else base


class ValueConflicts:
    """Implements :class:`~consistency.judge.base.ClaimComparator` for value claims."""

    name = "values"

    def __init__(self, per_value_pair: int = 3, per_value: int = 3) -> None:
        self.per_value_pair = per_value_pair
        self.per_value = per_value

    def compare(self, ctx: ClaimContext) -> list[Finding]:
        """One finding per differing value pair per article pair."""
        bad = ctx.links.filter(~pl.col("compatible") & (pl.col("slot") != "speaker"))
        sources: dict[tuple[str, int], list[str]] = {}
        for c in ctx.claim.values():
            if c["slot"] == "speaker":
                sources.setdefault(ctx.where(c), []).append(c["value"])
        best: dict[tuple[Any, ...], tuple[float, dict[str, Any], dict[str, Any], str]] = {}
        sim_of: dict[tuple[str, str], float] = {}
        prob: dict[tuple[str, str], float | None] = {}
        for r in bad.iter_rows(named=True):
            x, y = ctx.claim[r["a_claim"]], ctx.claim[r["b_claim"]]
            if (x["article_id"], x["start"]) > (y["article_id"], y["start"]):
                x, y = y, x
            if x["slot"] in MEASURED and _other_sources(
                sources.get(ctx.where(x), []) + reading_agencies(ctx, x),
                sources.get(ctx.where(y), []) + reading_agencies(ctx, y),
            ):
                continue  # "AFAD mencatat 7,4" / "EMSC put it at 7.7": two agencies' readings
            # one disagreement per pair of figures, however each is qualified:
            # "sekitar 5.500", "mencapai 5.500" and "hingga 5.500" against
            # one outlet's 3.000 are one finding, not three
            key = (x["slot"], x["article_id"], y["article_id"], *sorted((x["value"], y["value"])))
            s = float(r["similarity"])
            prob[(x["claim_id"], y["claim_id"])] = r.get("probability")
            # of the mentions of one disagreement, a pair in the body stands
            # for it before a pair with a headline
            heads = sum(headline_like(ctx.sentence_text(c)) for c in (x, y))
            rank_s = s - HEADLINE_PENALTY * heads
            sim_of[(x["claim_id"], y["claim_id"])] = s
            if key not in best or rank_s > best[key][0]:
                best[key] = (rank_s, x, y, r["reason"])
        # one value pair may recur across many article pairs (a wire figure
        # copied everywhere): the most similar statements stand for it
        per_values: dict[tuple[Any, ...], list[tuple[float, Any, Any, str]]] = {}
        for key, item in best.items():
            per_values.setdefault((key[0], *key[3:]), []).append(item)
        # of the pairs of values of one claim group, each value keeps its
        # per_value best-matched disagreements: a toll given eight ways makes
        # findings for the pairs of statements most alike, not all 28 pairs
        rank: dict[tuple[Any, str], list[tuple[float, tuple[Any, ...]]]] = {}
        for vkey, items in per_values.items():
            s0, x0, _, _ = max(items, key=lambda t: t[0])
            group = ctx.groups.get(x0["claim_id"], vkey[0])
            for v in vkey[1:]:
                rank.setdefault((group, v), []).append((s0, vkey))
        keep: set[tuple[Any, ...]] = set()
        for cands in rank.values():
            cands.sort(key=lambda t: -t[0])
            keep.update(k for _, k in cands[: self.per_value])
        out = []
        for vkey, items in per_values.items():
            if vkey not in keep:
                continue
            items.sort(key=lambda t: -t[0])
            shown = items[: self.per_value_pair]
            if not any(_across(ctx, x, y) for _, x, y, _ in shown):
                # a translation is where figures drift most: the best pair
                # across two languages stands for it too
                shown += [t for t in items[self.per_value_pair :] if _across(ctx, t[1], t[2])][:1]
            # an article that gives both values contradicts itself: that pair
            # stands for it too, however alike other outlets' statements are
            shown += [
                t for t in items if t not in shown and t[1]["article_id"] == t[2]["article_id"]
            ]
            for _, x, y, reason in shown:
                s = sim_of[(x["claim_id"], y["claim_id"])]
                out.append(
                    self._finding(ctx, x, y, s, reason, prob[(x["claim_id"], y["claim_id"])])
                )
        return out

    def _finding(
        self,
        ctx: ClaimContext,
        x: dict[str, Any],
        y: dict[str, Any],
        sim: float,
        reason: str,
        probability: float | None = None,
    ) -> Finding:
        kind = {"plate": Kind.NAME, "bearing": Kind.PLACE}.get(x["slot"], Kind.NUMBER)
        severity = Severity.HIGH
        if x["slot"] == "plate":
            severity = Severity.LOW
        elif x["slot"] == "bearing":
            severity = Severity.MEDIUM
        elif x["value_kind"] == "time":
            gap = abs((x["value_num"] or 0) - (y["value_num"] or 0))
            severity = Severity.LOW if gap <= 5 else Severity.MEDIUM
        elif x["qualifier"] != "exact" or y["qualifier"] != "exact":
            severity = Severity.MEDIUM
        elif probability is not None and probability < SURE_SAME_FACT:
            severity = Severity.MEDIUM  # the two may not be about one quantity
        rise = _rise(ctx, x, y)
        if rise is not None:
            severity = Severity.LOW
        return Finding(
            kind=kind,
            severity=severity,
            score=min(1.0, 0.5 + sim / 2),
            a=ctx.where(x),
            b=ctx.where(y),
            a_hl=[[int(x["start"]), int(x["end"])]],
            b_hl=[[int(y["start"]), int(y["end"])]],
            explanation=_explain(ctx, x, y, reason, rise),
            evidence={
                "comparator": self.name,
                "slot": x["slot"],
                "a_value": x["value"],
                "a_qualifier": x["qualifier"],
                "b_value": y["value"],
                "b_qualifier": y["qualifier"],
                "similarity": round(sim, 4),
                "reason": reason,
                "same_fact_probability": None if probability is None else round(probability, 4),
                "update": rise is not None,
            },
            claim_id=ctx.groups.get(x["claim_id"]),
        )


def _rise(
    ctx: ClaimContext, x: dict[str, Any], y: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(earlier, later) when a rising figure is higher in the later of two articles' reports."""
    if x["slot"] not in RISING or x["article_id"] == y["article_id"]:
        return None
    px = ctx.article[x["article_id"]]["published"]
    py = ctx.article[y["article_id"]]["published"]
    if not (px and py and px != py):
        return None
    later, earlier = (x, y) if px > py else (y, x)
    if (later["value_num"] or 0) > (earlier["value_num"] or 0):
        return earlier, later
    return None


def _explain(
    ctx: ClaimContext,
    x: dict[str, Any],
    y: dict[str, Any],
    reason: str,
    rise: tuple[dict[str, Any], dict[str, Any]] | None,
) -> str:
    """The explanation: "The death toll: '41' in A vs '44' in B; '41' and '44' cannot ..."."""
    ex = ctx.explain.speaking("value" if rise is None else "update")
    what = label(ctx, x, ex)
    if rise is not None:
        fields: dict[str, str] = {}
        for role, c in zip(("earlier", "later"), rise, strict=True):
            day = ctx.article[c["article_id"]]["published"]
            fields[role] = quoted(written(c))
            fields[f"{role}_outlet"] = ctx.outlet(c["article_id"])
            fields[f"{role}_date"] = ex.date(day.day, day.month, day.year)
        return ex.text("update", Label=capital(what), **fields)
    sx, sy = quoted(written(x)), quoted(written(y))
    sides = ex.sides(sx, ctx.outlet(x["article_id"]), sy, ctx.outlet(y["article_id"]))
    why = plain_reason(ex, reason, (x, sx), (y, sy), what)
    return ex.text("value", Label=capital(what), sides=sides, reason=why)


_BOUNDS = frozenset({"more_than", "at_least", "less_than", "up_to"})
_APPROX = frozenset({"about", "almost"})
_RANGES = frozenset({"vague", "range"})

REASONS: tuple[tuple[re.Pattern[str], str, frozenset[str] | None], ...] = (
    # (the reason of claims.values.compatible, the template, the qualifiers of the
    # value that is not a plain figure: a bound, an approximation or a range)
    (re.compile(r"two exact figures"), "reason_exact", None),
    (re.compile(r"\S+ is below the bound \S+"), "reason_below", _BOUNDS),
    (re.compile(r"\S+ is not more than \S+"), "reason_not_more", _BOUNDS),
    (re.compile(r"\S+ is far above the bound \S+"), "reason_far_above", _BOUNDS),
    (re.compile(r"\S+ is above the bound \S+"), "reason_above", _BOUNDS),
    (re.compile(r"\S+ does not round to about \S+"), "reason_no_fit", _APPROX),
    (re.compile(r"(the bound )?\S+ (is )?outside \S+\.\.\S+"), "reason_no_fit", _RANGES),
    (re.compile(r"disjoint ranges"), "reason_disjoint", None),
    (re.compile(r"different approximate figures"), "reason_estimates", None),
    (re.compile(r"(?P<n>[\d.]+) minutes apart( in UTC)?"), "reason_apart", None),
    (re.compile(r"different parts of the day"), "reason_dayparts", None),
    (re.compile(r"different text"), "reason_text", None),
    (re.compile(r"directions [\d.]+ degrees apart"), "reason_directions", None),
    (re.compile(r"hedged figures that cannot meet"), "reason_hedges", None),
    (re.compile(r"one says it could not be observed.*"), "reason_unobserved", None),
)
"""How the reasons two values cannot both hold are said in words: the template of each."""


def plain_reason(
    ex: Explainer,
    reason: str,
    x: tuple[dict[str, Any], str],
    y: tuple[dict[str, Any], str],
    what: str,
) -> str:
    """Why two values cannot both hold, in words and with the values as written.

    ``reason`` is the link's (:func:`consistency.claims.values.compatible`, with
    the figures it compared in SI units: "10000 does not round to about 17900");
    ``x`` and ``y`` are each claim with its value as written, quoted. Said in
    words: "'sekitar 17,9 kilometer' does not fit '10 kilometer'".
    """
    for rx, key, special in REASONS:
        m = rx.fullmatch(reason)
        if m is None:
            continue
        (cx, sx), (_, sy) = x, y
        if key == "reason_exact":
            rising = cx["slot"] in RISING
            return ex.text(key + ("_rising" if rising else ""), a=sx, b=sy, label=what)
        if key == "reason_apart":
            return ex.text(key, a=sx, b=sy, gap=ex.minutes(float(m.group("n"))))
        if special is None:
            return ex.text(key, a=sx, b=sy)
        odd, plain = (sx, sy) if cx["qualifier"] in special else (sy, sx)
        return ex.text(key, figure=plain, bound=odd, rough=odd)
    return ex.text("reason_other", reason=reason)


def written(c: dict[str, Any]) -> str:
    """A value as the article wrote it: the words that qualify it, the figure and its unit.

    "lebih dari 5.300", "sekitar 17,9 kilometer", "01:28 pagi" (the figure of a
    measure is compared in SI units; what is shown is what the outlet wrote).
    """
    detail = c["detail"] if isinstance(c["detail"], dict) else json.loads(c["detail"] or "{}")
    words = detail.get("qualifier_surface") if c["qualifier"] != "exact" else None
    return f"{words} {_shown(c)}" if words else _shown(c)


def _shown(c: dict[str, Any]) -> str:
    """A value as the article wrote it, with its unit for a measure ("11 nautical mile")."""
    detail = c["detail"] if isinstance(c["detail"], dict) else json.loads(c["detail"] or "{}")
    unit = detail.get("unit") if c["value_kind"] == "measure" else None
    return f"{c['surface']} {unit}" if unit else str(c["surface"])
