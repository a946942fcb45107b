"""The stages around facts, claims and judge, in the order data passes through them.

* :mod:`~consistency.stages.ingest`: files, folders, JSON(L), HTML and stdin -> ARTICLES;
* :mod:`~consistency.stages.prepare`: the per-article stages done once per feed: the
  matching view (:mod:`consistency.text.normalise`), then
  :mod:`~consistency.stages.clean` (ARTICLES -> BLOCKS: boilerplate dropped) and
  :mod:`~consistency.stages.segment` (BLOCKS -> SENTENCES);
* :mod:`~consistency.stages.stories`: a feed's articles grouped into STORIES (one event
  within a time window), each then run on its own;
* (:mod:`consistency.facts`, :mod:`consistency.claims`, the embedder)
* :mod:`~consistency.stages.align`: SENTENCES and their vectors -> PAIRS across articles;
* (NLI, :mod:`consistency.judge`);
* :mod:`~consistency.stages.findings`: the judge's DIVERGENCES -> those the report keeps
  (calibrated, at the settings' ``min_confidence``, repeats collapsed).

:mod:`consistency.pipeline` is the one module that knows this order.
"""
