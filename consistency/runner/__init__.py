"""Running a feed: how its stories are run, and the CI gate built on it.

* :mod:`~consistency.runner.feed`: :func:`~consistency.runner.feed.run_feed`, a feed of
  articles grouped into stories, the pipeline run once per story, one merged report;
* :mod:`~consistency.runner.backends`: where the stories run, a
  :class:`~consistency.runner.backends.Backend` chosen by name (``local``, ``ray``);
* :mod:`~consistency.runner.check`: the CI gate, NEW articles checked against a CORPUS.

(Not ``consistency.run``: that name is the library's :func:`consistency.run`.)
"""
