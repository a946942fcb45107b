"""Text helpers every stage reads articles with (no stage of their own).

* :mod:`~consistency.text.normalise`: the matching view of a text (line endings, a BOM,
  invisible and look-alike characters) with offsets mapped back, and text made safe to
  show on a terminal or a page (:func:`~consistency.text.normalise.display_safe`);
* :mod:`~consistency.text.names`: people's names, keyed for comparison;
* :mod:`~consistency.text.numbers`: number words and decimals;
* :mod:`~consistency.text.spans`: the spans of a sentence already read, looked up by
  bisection.
"""
