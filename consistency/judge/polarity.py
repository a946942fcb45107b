"""Pair comparator: a polarity flip between two sentences that otherwise match.

Reads the polarity facts of the two sentences: a denial against an
affirmation ("membantah" / "mengakui"), or an odd number of negations on one
side only. Only a finding when the sentences share enough words (see
:meth:`consistency.judge.pairs.PairJudging._flip`), and dropped when NLI reads
the pair as mutual entailment.
"""

from __future__ import annotations

from typing import Any

from consistency.judge.base import Finding as _Finding
from consistency.judge.explain import quoted
from consistency.judge.facts_view import FactsView
from consistency.types import Kind, Severity


class PolarityFlips(FactsView):
    """Polarity flips of an aligned pair."""

    def _polarity(
        self,
        a: tuple[str, int],
        b: tuple[str, int],
        fa: list[dict[str, Any]],
        fb: list[dict[str, Any]],
    ) -> _Finding | None:
        pa = [f for f in fa if f["fact_type"] == "polarity"]
        pb = [f for f in fb if f["fact_type"] == "polarity"]
        ka = [f["key"] for f in pa]
        kb = [f["key"] for f in pb]
        deny_flip = ("deny" in ka and "affirm" in kb) or ("affirm" in ka and "deny" in kb)
        neg_flip = (ka.count("neg") % 2) != (kb.count("neg") % 2)
        if not (deny_flip or neg_flip):
            return None
        if deny_flip:
            xs = [f for f in pa if f["key"] in ("deny", "affirm")]
            ys = [f for f in pb if f["key"] in ("deny", "affirm")]
        else:
            xs = [f for f in pa if f["key"] == "neg"]
            ys = [f for f in pb if f["key"] == "neg"]
        oa, ob = self._outlet(a[0]), self._outlet(b[0])
        if deny_flip:
            ex = self.explain.speaking("polarity_deny")
            said = ex.sides(quoted(xs[0]["surface"]), oa, quoted(ys[0]["surface"]), ob)
            text = ex.text("polarity_deny", sides=said)
        else:
            text = self.explain.text(
                "polarity_negation",
                a_outlet=oa,
                b_outlet=ob,
                outlet=oa if len(xs) > len(ys) else ob,
                word=quoted((xs or ys)[0]["surface"]),
            )
        return self._from_facts(
            Kind.CONTRADICTION,
            Severity.MEDIUM,
            0.55 if deny_flip else 0.45,
            a,
            b,
            xs,
            ys,
            text,
            "polarity",
            suppress_on_entail=True,
        )
