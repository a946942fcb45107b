"""Training the shipped models, offline: never imported when the pipeline runs.

* :mod:`~consistency.training.nli_train` and :mod:`~consistency.training.nli_data`: the NLI
  cross-encoder (``consistency nli train``);
* :mod:`~consistency.training.identity_train`: the claim-identity model
  (``python -m consistency.training.identity_train``);
* :mod:`~consistency.training.confidence_train`: the findings' confidence model
  (``python -m consistency.training.confidence_train``).
"""
