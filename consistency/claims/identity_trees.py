"""The shipped claim-identity model: two tree ensembles evaluated with numpy, and loading it.

:class:`IdentityModel` holds the two heads of gradient-boosted trees that
``python -m consistency.training.identity_train`` fits on the fact tables and
writes as JSON (``consistency/models/shipped/identity/model.json``, with its card); the
features it reads are :data:`consistency.claims.identity.FEATURES`. Nothing is
trained at run time.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from consistency.claims.identity import FEATURES
from consistency.config import IDENTITY_MODEL_DIR


class TreeEnsemble:
    """A binary gradient-boosted tree ensemble read from JSON, evaluated with numpy.

    The JSON holds ``init`` (the raw score before any tree), ``learning_rate``,
    ``threshold`` and ``trees``: each a dict of equal-length lists ``feature``,
    ``threshold``, ``left``, ``right``, ``value`` (a leaf has ``left == -1``; a
    sample goes left when its feature is ``<= threshold``, as in scikit-learn).
    """

    def __init__(self, spec: dict[str, Any]) -> None:
        self.init = float(spec["init"])
        self.rate = float(spec["learning_rate"])
        self.threshold = float(spec.get("threshold", 0.5))
        self.veto = float(spec.get("veto", 0.0))
        self.trees = [
            tuple(
                np.asarray(t[k], dtype=dt)
                for k, dt in (
                    ("feature", np.int32),
                    ("threshold", np.float64),
                    ("left", np.int32),
                    ("right", np.int32),
                    ("value", np.float64),
                )
            )
            for t in spec["trees"]
        ]

    def raw(self, x: np.ndarray) -> np.ndarray:
        """The ensemble's raw score (log-odds) for each row of ``x``."""
        x = np.asarray(x, dtype=np.float64)
        total = np.full(x.shape[0], self.init)
        rows = np.arange(x.shape[0])
        for feature, threshold, left, right, value in self.trees:
            node = np.zeros(x.shape[0], dtype=np.int32)
            while True:
                inner = left[node] != -1
                if not inner.any():
                    break
                f = feature[node]
                go_left = x[rows, np.maximum(f, 0)] <= threshold[node]
                node = np.where(inner, np.where(go_left, left[node], right[node]), node)
            total += np.asarray(value[node], dtype=np.float64) * self.rate
        return total

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The probability of the positive class for each row of ``x``."""
        return 1.0 / (1.0 + np.exp(-self.raw(x)))


HEADS = ("same_value", "other_value")
"""The model's two heads: pairs that give one value (grouping), and pairs that do not
(the pairs that make findings, where identity is hardest)."""


class IdentityModel:
    """P(two value mentions state the same fact), from two :class:`TreeEnsemble` heads.

    A pair whose values are written the same goes to the ``same_value`` head, any
    other pair to ``other_value``; each head has its own threshold. The JSON holds
    ``features`` (which must equal :data:`FEATURES`) and ``heads``.
    """

    def __init__(self, spec: dict[str, Any], source: str = "<memory>") -> None:
        if list(spec.get("features", [])) != list(FEATURES):
            raise ValueError(f"{source}: the model's features are not this version's")
        self.source = source
        self.heads = {h: TreeEnsemble(spec["heads"][h]) for h in HEADS}
        self.equal_at = FEATURES.index("value_equal")

    def predict(self, x: np.ndarray) -> np.ndarray:
        """P(same fact) for each row of ``x``."""
        out = np.zeros(x.shape[0])
        if x.shape[0] == 0:
            return out
        same = x[:, self.equal_at] > 0.5
        for head, rows in (("same_value", same), ("other_value", ~same)):
            if rows.any():
                out[rows] = self.heads[head].predict(x[rows])
        return out

    def decide(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each pair: P(same fact), whether the model links it on its own word (P
        reaches its head's threshold), and whether it overrules a rule's link of it (P
        under its head's veto)."""
        p = self.predict(x)
        same = x[:, self.equal_at] > 0.5 if x.shape[0] else np.zeros(0, dtype=bool)
        on_same, on_other = self.heads["same_value"], self.heads["other_value"]
        link = np.where(same, on_same.threshold, on_other.threshold)
        veto = np.where(same, on_same.veto, on_other.veto)
        return p, p >= link, p < veto


MODEL_ENV = "CONSISTENCY_IDENTITY_MODEL"
"""Names another model file (a leave-one-cluster-out fold, say); ``off`` uses the rules alone."""


@functools.cache
def _load(path: str) -> IdentityModel:
    return IdentityModel(json.loads(Path(path).read_text(encoding="utf-8")), source=path)


def load_identity_model(path: str | Path | None = None) -> IdentityModel | None:
    """The claim-identity model: ``path``, ``$CONSISTENCY_IDENTITY_MODEL`` or the shipped one
    (in :data:`~consistency.config.IDENTITY_MODEL_DIR`).

    Returns None when the environment says ``off`` or no model file is there.
    """
    chosen = str(path) if path is not None else os.environ.get(MODEL_ENV)
    if chosen == "off":
        return None
    file = Path(chosen) if chosen else IDENTITY_MODEL_DIR / "model.json"
    if not file.is_file():
        return None
    return _load(str(file))
