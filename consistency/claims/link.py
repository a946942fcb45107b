"""Linking claims across the cluster: CLAIMS + sentence vectors -> CLAIM_LINKS.

Takes CLAIMS, SENTENCES, ARTICLES and the sentence vectors (rows in SENTENCES
order) and returns CLAIM_LINKS: pairs of claims about the same fact, in two
articles or inside one, whether or not their sentences were aligned, and
whether their values can both hold.

* Values (counts, measures, times, ages, plates): two claims can be about the
  same fact when their slot, population and subject agree (a population or a
  subject that only one gives does not disagree). Among those, each claim is
  linked to its most similar claim in every other article (and in its own
  article), by the similarity of the two statements, when that similarity
  reaches the slot's threshold, and the two must choose each other (mutual
  best). The match score adds the overlap of the words right around the two
  values (the value's context with the value masked) to the statements'
  similarity, so that of two magnitudes in one article the one said of the
  same shock is chosen. Ages are linked by person, plates by region and
  digits: the subject names the fact, no similarity needed.
* Headline figures: the first death, injury or missing count of each article
  (no population or place of its own) is what that outlet says the toll is;
  it is linked with every other article's headline figure of the slot.
* Speakers: each credited sentence's nearest credited statements in the
  cluster (a FAISS inner-product index over the vectors of the sentences
  that credit someone, not only the mutual best pair) link the speakers
  credited with them. A headline credits no one.

The thresholds and the match score are in :mod:`.matching`.
:func:`~consistency.claims.groups.group_claims` then joins links into the claim groups
the report shows. With the identity model (:mod:`.identity`), a pair of counts,
measures or times the rules link is dropped when the model thinks it unlikely that
the two state one fact, and a pair the model is all but sure of is linked anyway.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl

from consistency.claims.entities import relation
from consistency.claims.identity import PairContext, candidate_pairs
from consistency.claims.identity import claim_detail as _detail
from consistency.claims.identity_trees import IdentityModel
from consistency.claims.matching import WORD_RE, LinkConfig, facet, match_score
from consistency.claims.places import PLACED_SLOTS, places_agree
from consistency.claims.rows import headline_like
from consistency.claims.same_fact import (
    LEAD_SLOTS,
    VALUE_KINDS,
    claim_value,
    is_part,
    moment_told,
    same_assertion,
    same_fact,
    same_fact_rule,
    unit_factor,
    zero_of_victims,
)
from consistency.claims.statements import statement_neighbours, statement_overlap
from consistency.claims.values import compatible
from consistency.types import CLAIM_LINKS, CLAIMS, SENTENCES


class Story:
    """One story's claims keyed for linking: rows, sentence texts, similarities, verdicts.

    Args:
        claims: CLAIMS frame.
        sentences: SENTENCES frame; ``vectors`` has one unit row per sentence, in order.
        vectors: sentence embeddings, ``(len(sentences), dim)`` float32.
        config: thresholds (the unit tolerance of :meth:`verdict`).
        articles: ARTICLES frame (languages and dates, for the identity model).
        windows: claim id -> the embedding of its masked window
            (:func:`~consistency.claims.identity.claim_windows`), for the identity model.
    """

    def __init__(
        self,
        claims: pl.DataFrame,
        sentences: pl.DataFrame,
        vectors: np.ndarray,
        config: LinkConfig | None = None,
        articles: pl.DataFrame | None = None,
        windows: dict[str, np.ndarray] | None = None,
    ) -> None:
        CLAIMS.validate(claims)
        SENTENCES.validate(sentences)
        self.cfg = config or LinkConfig()
        self.articles = articles
        self.windows = windows
        self.row_of = {
            (a, i): n
            for n, (a, i) in enumerate(
                zip(sentences["article_id"], sentences["sent_idx"], strict=True)
            )
        }
        self.vectors = vectors
        self.have_vec = (
            vectors.ndim == 2 and vectors.shape[0] == sentences.height and vectors.shape[1] > 1
        )
        self.rows = claims.to_dicts()
        self.rows_by_id = {r["claim_id"]: r for r in self.rows}
        self.sent_text: dict[tuple[str, int], tuple[int, str]] = dict(
            zip(
                zip(sentences["article_id"], sentences["sent_idx"], strict=True),
                zip(sentences["start"], sentences["text"], strict=True),
                strict=True,
            )
        )
        # the moments each article names its times for ("lepas landas pada pukul 13.40")
        self.moments: dict[str, set[str]] = defaultdict(set)
        for r in self.rows:
            if r["value_kind"] == "time":
                self.moments[r["article_id"]].update(_detail(r).get("events") or ())

    def sim(self, x: dict[str, Any], y: dict[str, Any]) -> float:
        """The cosine of the two claims' sentences (0 without vectors)."""
        if not self.have_vec:
            return 0.0
        i = self.row_of.get((x["article_id"], x["sent_idx"]))
        j = self.row_of.get((y["article_id"], y["sent_idx"]))
        if i is None or j is None:
            return 0.0
        return float(self.vectors[i] @ self.vectors[j])

    def verdict(self, x: dict[str, Any], y: dict[str, Any]) -> tuple[bool, str]:
        """Whether the two values can both hold, and why."""
        if x["slot"] == "speaker":
            rel = relation(x["value"], y["value"])
            return rel != "different", f"the speakers are {rel}"
        # tolerance only where a unit was converted ("11 miles (17.9 km)")
        ux, uy = unit_factor(_detail(x).get("unit")), unit_factor(_detail(y).get("unit"))
        tol = self.cfg.measure_tolerance if x["value_kind"] == "measure" and ux != uy else 0.0
        return compatible(x["value_kind"], claim_value(x), claim_value(y), tol)

    def candidates(self) -> tuple[list[tuple[dict[str, Any], dict[str, Any]]], np.ndarray]:
        """The identity model's candidate pairs and their features (:mod:`.identity`)."""
        arts = self.articles
        ids = arts["article_id"] if arts is not None else pl.Series([], dtype=pl.String)
        ctx = PairContext(
            sentence=self.sent_text,
            sim=self.sim,
            language=dict(zip(ids, arts["language"], strict=True)) if arts is not None else {},
            published=dict(zip(ids, arts["published"], strict=True)) if arts is not None else {},
            rule=lambda x, y: same_fact_rule(x, y, self.moments),
            headline=lambda k: headline_like(self.sent_text.get(k, (0, ""))[1]),
            window=self.windows,
        )
        return candidate_pairs(self.rows, ctx, lambda x, y: self.verdict(x, y)[0])


class _Links:
    """The links found so far, each pair once, and the identity model's word on each pair."""

    def __init__(
        self, verdict: Callable[[dict[str, Any], dict[str, Any]], tuple[bool, str]]
    ) -> None:
        self.verdict = verdict
        self.links: dict[tuple[str, str], dict[str, Any]] = {}
        # the model's probability for each candidate pair, and whether it vetoes a rule's link
        self.model_p: dict[tuple[str, str], tuple[float, bool]] = {}

    def add(self, x: dict[str, Any], y: dict[str, Any], s: float, p: float | None = None) -> None:
        """Link ``x`` and ``y`` unless they are linked already or the model vetoes the rules."""
        a, b = (x, y) if x["claim_id"] < y["claim_id"] else (y, x)
        key = (a["claim_id"], b["claim_id"])
        if key in self.links:
            return
        if p is None and key in self.model_p:
            p, vetoed = self.model_p[key]
            if vetoed and not (zero_of_victims(x, y) or zero_of_victims(y, x)):
                # a group said to have no victims against a count of its victims is
                # one fact whatever the wording ("tidak ada WNI yang menjadi korban" /
                # "dua WNI luka ringan"); the model has seen too few zeros to judge it
                return
        ok, why = self.verdict(x, y)
        self.links[key] = {
            "a_claim": key[0],
            "b_claim": key[1],
            "slot": y["slot"] if x["slot"] == "count" else x["slot"],
            "similarity": s,
            "compatible": ok,
            "reason": why,
            "probability": p,
        }


def link_claims(
    claims: pl.DataFrame,
    sentences: pl.DataFrame,
    vectors: np.ndarray,
    config: LinkConfig | None = None,
    *,
    identity: IdentityModel | None = None,
    articles: pl.DataFrame | None = None,
    windows: dict[str, np.ndarray] | None = None,
) -> pl.DataFrame:
    """Link the claims about the same fact across the cluster (see the module docstring).

    Args:
        claims: CLAIMS frame.
        sentences: SENTENCES frame; ``vectors`` has one unit row per sentence, in order.
        vectors: sentence embeddings, ``(len(sentences), dim)`` float32.
        config: thresholds.
        identity: the learned claim-identity model; with it, two counts, measures
            or times are linked when the model's probability that they state one
            fact reaches its head's threshold, and a link the rules make is dropped
            when the probability is under the head's veto; ``probability`` is
            filled for every pair the model scored; without it, the rules decide.
        articles: ARTICLES frame (languages and dates, for the model's features).
        windows: claim id -> the embedding of its masked window (for the model).

    Returns:
        A CLAIM_LINKS frame, each pair once (``a_claim < b_claim``).
    """
    story = Story(claims, sentences, vectors, config, articles, windows)
    links = _Links(story.verdict)
    if identity is not None:
        _model_links(story, identity, links)
    _rule_links(story, links)
    _lead_links(story, links)
    speakers = _speakers(story.rows)
    _credited_figure_links(story, speakers, links)
    if story.have_vec and speakers:
        _statement_links(story, sentences, speakers, links)
    if not links.links:
        return CLAIM_LINKS.empty()
    out = pl.DataFrame(list(links.links.values()), schema=CLAIM_LINKS.polars_schema)
    return CLAIM_LINKS.validate(out.sort(["a_claim", "b_claim"]))


def _model_links(story: Story, identity: IdentityModel, links: _Links) -> None:
    """Link the pairs the identity model is sure of; keep its word on every candidate pair."""
    pairs, feats = story.candidates()
    probs, linked, vetoed = identity.decide(feats)
    for (x, y), p, no in zip(pairs, probs, vetoed, strict=True):
        a, b = sorted((x["claim_id"], y["claim_id"]))
        links.model_p[(a, b)] = (float(p), bool(no))
    for (x, y), p, ok, f in zip(pairs, probs, linked, feats, strict=True):
        if ok:
            links.add(x, y, float(f[0]), float(p))


_Match = tuple[float, dict[str, Any], float]
"""A claim's best match in one article: (match score, the claim matched, similarity)."""


def _rule_links(story: Story, links: _Links) -> None:
    """Link each value claim with its mutual best match in every article (the rules)."""
    by_slot: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in story.rows:
        if r["value_kind"] in VALUE_KINDS:
            # counts meet across slots through their population (see same_fact)
            by_slot["count" if r["value_kind"] == "count" else r["slot"]].append(r)
    _mutual_links(story, _best_matches(story, by_slot), links)


def _best_matches(
    story: Story, by_slot: dict[str, list[dict[str, Any]]]
) -> dict[str, dict[str, _Match]]:
    """Each claim's best match in each article: claim id -> article id -> its match."""
    # each claim's best match in every other article (and in its own), by the
    # similarity of the statements plus the words right around the values
    best: dict[str, dict[str, _Match]] = defaultdict(dict)
    for group in by_slot.values():
        for x in group:
            for y in group:
                if not _may_match(story, x, y):
                    continue
                s = story.sim(x, y)
                score = match_score(x, y, s, story.cfg, story.sent_text)
                if score is None:
                    continue
                cur = best[x["claim_id"]].get(y["article_id"])
                if cur is None or score > cur[0]:
                    best[x["claim_id"]][y["article_id"]] = (score, y, s)
    return best


def _may_match(story: Story, x: dict[str, Any], y: dict[str, Any]) -> bool:
    """Whether ``y``, in another sentence, can be about ``x``'s fact at all (the rules)."""
    if y is x or (y["article_id"] == x["article_id"] and y["sent_idx"] == x["sent_idx"]):
        return False
    return (
        same_fact(x, y)
        and not moment_told(x, y, story.moments)
        and not moment_told(y, x, story.moments)
        and not place_told(story, x, y)
        and not place_told(story, y, x)
    )


def place_told(story: Story, x: dict[str, Any], y: dict[str, Any]) -> bool:
    """Whether ``y``'s article tells ``x``'s place apart from ``y``, a figure with no place.

    "lima orang tewas di Kecamatan Cugenang" against another outlet's "At least 12
    people were killed, ... five of them in Cugenang district": that outlet gives
    Cugenang its own figure, so its 12 is the total, not Cugenang's toll.
    """
    if not x["subject"] or y["subject"] or x["slot"] not in PLACED_SLOTS:
        return False
    return any(
        r["article_id"] == y["article_id"]
        and r is not y
        and r["slot"] == x["slot"]
        and r["subject"]
        and places_agree(r["subject"], x["subject"])
        for r in story.rows
    )


def _mutual_links(story: Story, best: dict[str, dict[str, _Match]], links: _Links) -> None:
    """Link the best matches that choose each other, or are close enough one way."""
    # a link needs both claims to choose each other (mutual best): the claim
    # in article B that best matches x must have x as its best match in x's article
    for cid, per_article in best.items():
        for _, y, s in per_article.values():
            x = story.rows_by_id[cid]
            back = best.get(y["claim_id"], {}).get(x["article_id"])
            # mutual at the level of what is said: y's best match may be
            # another mention of x's value in x's article (a figure repeated
            # in the headline, the lead and the body)
            mutual = back is not None and (back[1]["claim_id"] == cid or same_assertion(back[1], x))
            if mutual or s >= story.cfg.one_way:
                links.add(x, y, s)


def _lead_links(story: Story, links: _Links) -> None:
    """Link every two outlets' headline figures of one slot (unless they tell another story)."""
    # each outlet's headline figure: the first count of a status slot in an
    # article (no population, no place) is what that outlet says the toll is,
    # and is compared with every other outlet's headline figure of that slot
    lead: dict[tuple[str, str], dict[str, Any]] = {}
    for r in sorted(story.rows, key=lambda r: (r["article_id"], r["start"])):
        if r["value_kind"] == "count" and r["slot"] in LEAD_SLOTS and not r["subject"]:
            if facet(r) is None and not is_part(r) and not _detail(r).get("forecast"):
                lead.setdefault((r["article_id"], r["slot"]), r)
    by_lead_slot: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (_, slot), r in lead.items():
        by_lead_slot[slot].append(r)
    for group in by_lead_slot.values():
        for i, x in enumerate(group):
            for y in group[i + 1 :]:
                s = story.sim(x, y)
                if s >= story.cfg.lead:
                    links.add(x, y, s)


def _speakers(rows: list[dict[str, Any]]) -> dict[tuple[str, int], list[dict[str, Any]]]:
    """The speaker claims of each sentence that credits someone."""
    # speakers: who is credited with the same statement
    speakers: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if r["slot"] == "speaker":
            speakers[(r["article_id"], r["sent_idx"])].append(r)
    return speakers


def _credited_figure_links(
    story: Story, speakers: dict[tuple[str, int], list[dict[str, Any]]], links: _Links
) -> None:
    """Link one headline-slot figure credited in two outlets, its population named by one."""
    # one figure credited in two outlets ("berjumlah 11 orang", says A; "11
    # pendaki ditemukan MD", says B): the same figure of the same status, its
    # population named by one side only, in two credited statements
    credited = [
        r
        for r in story.rows
        if r["value_kind"] == "count"
        and r["slot"] in LEAD_SLOTS
        and (r["article_id"], r["sent_idx"]) in speakers
    ]
    for i, x in enumerate(credited):
        for y in credited[i + 1 :]:
            if x["article_id"] == y["article_id"] or x["slot"] != y["slot"]:
                continue
            if x["value_num"] != y["value_num"] or (facet(x) is None) == (facet(y) is None):
                continue
            s = story.sim(x, y)
            if s >= story.cfg.statement_worded:
                links.add(x, y, s)


def _statement_links(
    story: Story,
    sentences: pl.DataFrame,
    speakers: dict[tuple[str, int], list[dict[str, Any]]],
    links: _Links,
) -> None:
    """Link the speakers of each credited sentence and of its nearest credited statements."""
    cfg = story.cfg
    keys = list(zip(sentences["article_id"], sentences["sent_idx"], strict=True))
    texts = sentences["text"].to_list()
    overlap = statement_overlap(texts)
    # only credited sentences are searched: an article that tells a
    # thing in its own words and then quotes someone saying it
    # ("bus oleng ke kanan lalu menabrak ..."; "...," ujar Jules) has the
    # quote as its nearest credited statement, not the narration; a
    # headline's capitals make any word look like a name ("Menhub Sebut
    # Ada Tiga Bayi"), so headlines credit no one
    credited_at = [i for i, k in enumerate(keys) if k in speakers and not headline_like(texts[i])]
    arts = sentences["article_id"].to_list()
    found = statement_neighbours(
        [arts[i] for i in credited_at],
        story.vectors[credited_at],
        cfg.statement_worded,
        cfg.statement_k,
    )
    for ci, cj, s in found:
        i, j = credited_at[ci], credited_at[cj]
        sx, sy = speakers.get(keys[i], []), speakers.get(keys[j], [])
        if not sx or not sy:
            continue
        # below the statement threshold, the two must also share their
        # distinctive words (names of the speakers left out)
        names = {w for c in sx + sy for w in WORD_RE.findall(c["surface"].lower())}
        if s < cfg.statement and overlap(i, j, names) < cfg.statement_words:
            continue
        for x in sx:
            for y in sy:
                links.add(x, y, s)
