"""What a run hands to people and tools: the report and every form it is written in.

* :mod:`~consistency.outputs.report`: :class:`~consistency.outputs.report.Report`, the
  finished result of a run, and its JSON form (the ``consistency.report/3`` contract,
  schema in ``schema/``); :mod:`~consistency.outputs.check_result`: a check's result;
* :mod:`~consistency.outputs.formats`: the one table of formats both commands render
  through, one module each: :mod:`~consistency.outputs.md`,
  :mod:`~consistency.outputs.html`, :mod:`~consistency.outputs.parquet` (``report``);
  :mod:`~consistency.outputs.text`, :mod:`~consistency.outputs.sarif`,
  :mod:`~consistency.outputs.github`, :mod:`~consistency.outputs.junit` (``check``), with
  :mod:`~consistency.outputs.positions` (where a span lies in its file);
* :mod:`~consistency.outputs.review_store`: reviewers' verdicts in SQLite, their exports;
* :mod:`~consistency.outputs.files`: writing an output whole.
"""
