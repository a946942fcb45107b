"""The Ray backend: a feed's stories run as calls on Ray actors that hold the models.

:class:`RayBackend` is the local backend with the per-story work on Ray
(``run_feed(..., backend="ray")`` makes one):

* ``N`` :class:`StoryWorker` actors (one CPU each; ``N`` = the cluster's CPUs by
  default) are started with the caller's :class:`~consistency.models.bundle.ModelChoice`.
  The models travel unloaded (a model is described, or named, not loaded) and each
  actor resolves them once (:func:`~consistency.models.bundle.resolve_models`; no choice:
  the settings' own), from its own node's model cache (``$CONSISTENCY_HOME``); nothing is
  fetched from a hub. An on-disk result cache
  (:class:`~consistency.models.cache.CacheStore`) travels as its directory and is opened
  on the actor's node.
* The driver groups the articles into stories as the local backend does, but the
  opening sentences the grouping compares are embedded by an actor.
* Each story (its articles, in input order) is one ``run_story`` call: the whole
  pipeline for those articles (clean, segment, facts, claims, embed, align, NLI,
  judge), :func:`consistency.pipeline.run_story`. An article is in exactly one story,
  so its per-article stages run once, on the actor that has its story. Stories
  are handed to idle actors by :class:`ray.util.ActorPool`, largest first.
* The per-story reports come back to the driver and are merged in story order
  with :func:`consistency.runner.backends.merge.merge_reports`: the same report as the
  local backend.

Progress: the driver reports ``stories`` and ``story`` (stories done); the pipeline
stages inside an actor are not reported.

``ray`` is imported only when this module runs; without it, when the cluster
address cannot be reached, or when a local instance cannot start (no usable
loopback network, as in some CI sandboxes; or no answer within
:data:`START_TIMEOUT_S`), :class:`~consistency.runner.backends.BackendError` says so in
one line.
"""

from __future__ import annotations

import errno
import logging
import os
import socket
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from consistency import pipeline
from consistency.config import Settings
from consistency.models.bundle import ModelChoice, resolve_models
from consistency.outputs.report import Report
from consistency.pipeline import RunOptions
from consistency.runner.backends import BackendError
from consistency.runner.backends.merge import articles_shown, merge_reports, stories_to_run
from consistency.types import ARTICLES, STORIES, ConsistencyError

if TYPE_CHECKING:
    from consistency.models.cache import IndexCache

CONNECT_TIMEOUT_S = 5.0
"""How long the driver tries a ``HOST:PORT`` address before saying it cannot be reached
(``ray.init`` itself retries for minutes)."""

START_TIMEOUT_S = 90.0
"""How long ``ray.init`` may take before the driver gives up and says so (it runs in a
thread: Ray itself retries its connections for minutes, then may crash the process)."""

PROBE_TIMEOUT_S = 2.0
"""How long the local network probe waits for a connection to itself."""


class StoryWorker:
    """What each Ray actor holds: the models, resolved once, and the settings' thresholds."""

    def __init__(self, shipped: tuple[Settings, ModelChoice | None]) -> None:
        """``shipped``: (settings, model choice) as :class:`RayBackend` was given them (no
        choice: the settings' own models)."""
        settings, choice = shipped
        self.thresholds = settings.thresholds
        self.models = resolve_models(choice, settings)

    def model_id(self) -> str:
        """The embedder's id."""
        return self.models.embedder.model_id

    def embed(self, texts: list[str]) -> np.ndarray:
        """The embedder's vectors for ``texts`` (the grouping's opening sentences)."""
        return np.asarray(self.models.embedder.embed(texts), dtype=np.float32)

    def run_story(
        self,
        k: int,
        articles: pl.DataFrame,
        focus: list[str] | None,
        warnings: Sequence[str],
        index_cache: IndexCache | None,
    ) -> tuple[int, Report]:
        """Story ``k``'s report (``k`` comes back, so reports can be put in story order)."""
        options = RunOptions(focus=focus, warnings=warnings, index_cache=index_cache)
        return k, pipeline.run_story(articles, self.thresholds, self.models, options)


class _ActorEmbedder:
    """An :class:`~consistency.models.protocols.Embedder` whose ``embed`` runs on an actor."""

    def __init__(self, actor: Any, model_id: str) -> None:
        self.actor = actor
        self.model_id = model_id

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        import ray

        return ray.get(self.actor.embed.remote(list(texts)))


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise BackendError(
            "the Ray backend needs ray: pip install 'consistency[ray]' (or ray==2.40.0)"
        ) from None
    return ray


def _check_reachable(address: str) -> None:
    """Fail fast when a ``HOST:PORT`` address does not accept a connection."""
    if address == "auto" or "://" in address:
        return
    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit():
        raise BackendError(
            f"Ray address {address!r}: expected HOST:PORT, 'auto' or ray://HOST:PORT"
        )
    try:
        with socket.create_connection((host, int(port)), timeout=CONNECT_TIMEOUT_S):
            pass
    except OSError as e:
        raise BackendError(
            f"cannot reach the Ray cluster at {address} ({e.strerror or e}); "
            "start it with `ray start --head` or check --ray-address / RAY_ADDRESS"
        ) from None


def _probe(host: str) -> None:
    """Listen on ``host`` (any free port) and connect to it: what a local Ray does first.

    Raises:
        OSError: the socket cannot be bound, or the connection is refused or unreachable.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind((host, 0))
        server.listen(1)
        with socket.create_connection(server.getsockname()[:2], timeout=PROBE_TIMEOUT_S):
            pass


def _node_ip(ray: Any) -> str | None:
    """The address a local Ray instance would use for this node (None if unknown)."""
    try:
        ip = ray._private.services.get_node_ip_address()
    except Exception:  # noqa: BLE001 - a private API: the loopback probe still runs
        return None
    return str(ip) if ip else None


def check_local_network(ray: Any = None) -> None:
    """Fail fast when a local Ray instance could not start: no usable loopback network.

    A local Ray's processes talk over TCP on this machine (``127.0.0.1``, or the
    node's address). In a sandbox whose network namespace has no loopback
    interface (some CI runners), ``ray.init`` retries for minutes and then may
    crash the process (signal 11); this probe takes milliseconds.

    Raises:
        BackendError: a socket cannot listen on, or connect to, that address.
    """
    hosts = ["127.0.0.1"]
    ip = _node_ip(ray) if ray is not None else None
    if ip and ip not in hosts:
        hosts.append(ip)
    for host in hosts:
        try:
            _probe(host)
        except OSError as e:
            why = e.strerror or errno.errorcode.get(e.errno or 0) or str(e) or type(e).__name__
            raise BackendError(
                f"cannot start a local Ray instance: this machine cannot connect to itself "
                f"at {host} ({why}; no loopback network, as in some sandboxes); "
                "use --backend local, or --ray-address for a running cluster"
            ) from None


_init_thread_stop = threading.Event()
"""Set by :func:`shutdown`: lets the thread that ran ``ray.init`` end."""


def _init_bounded(ray: Any, kwargs: dict[str, Any], where: str) -> None:
    """``ray.init(**kwargs)`` in a thread, waiting at most :data:`START_TIMEOUT_S`.

    The thread stays alive (waiting) until :func:`shutdown`: Ray's own processes
    are started with ``PR_SET_PDEATHSIG``, which kills them when the *thread*
    that started them ends.

    Raises:
        BackendError: it failed (its first line), or did not return in time.
    """
    outcome: list[BaseException | None] = []
    returned = threading.Event()
    _init_thread_stop.clear()

    def run() -> None:
        quiet = logging.getLogger("ray._private.worker")
        level = quiet.level
        quiet.setLevel(logging.ERROR)  # "SIGTERM handler is not set ... not the main thread"
        try:
            ray.init(**kwargs)
        except BaseException as e:  # noqa: BLE001 - handed to the waiting thread
            outcome.append(e)
            return
        else:
            outcome.append(None)
        finally:
            quiet.setLevel(level)
            returned.set()
        _init_thread_stop.wait()  # keep Ray's processes alive (see above)

    thread = threading.Thread(target=run, name="consistency-ray-init", daemon=True)
    thread.start()
    if not returned.wait(START_TIMEOUT_S) or not outcome:
        raise BackendError(
            f"cannot start Ray ({where}): no answer within {START_TIMEOUT_S:g} s "
            "(Ray keeps retrying its own connections); check that this machine can open "
            "local TCP connections, or use --backend local"
        )
    e = outcome[0]
    if e is None:
        return
    if isinstance(e, ConnectionError | RuntimeError | ValueError | TimeoutError):
        first = (str(e).strip().splitlines() or [type(e).__name__])[0]
        raise BackendError(f"cannot start Ray ({where}): {first}") from None
    raise e


def shutdown(ray: Any) -> None:
    """``ray.shutdown()``, then let the thread that ran ``ray.init`` end."""
    try:
        ray.shutdown()
    finally:
        _init_thread_stop.set()


def connect(address: str | None = None, *, num_cpus: int | None = None) -> bool:
    """Make sure Ray is initialised in this process; True when this call started it.

    Args:
        address: an existing cluster (``HOST:PORT``, ``auto``, ``ray://HOST:PORT``);
            None uses ``RAY_ADDRESS`` when set, else starts a local Ray instance
            with ``num_cpus`` CPUs (default: all).

    Raises:
        BackendError: ray is not installed, the cluster cannot be reached, or a local
            instance cannot start (no loopback network; no answer within
            :data:`START_TIMEOUT_S`).
    """
    ray = _import_ray()
    if ray.is_initialized():
        return False
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # never phone home
    address = address or os.environ.get("RAY_ADDRESS") or None

    kwargs: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.ERROR}
    if address is None:
        check_local_network(ray)
        kwargs.update(num_cpus=num_cpus, include_dashboard=False)
    else:
        _check_reachable(address)
        kwargs["address"] = address
    _init_bounded(ray, kwargs, address or "a local instance")
    return True


def _register_serializers(ray: Any) -> None:
    """Send an on-disk cache as its directory (an SQLite connection cannot travel)."""
    from consistency.models.cache import CacheStore

    ray.util.register_serializer(
        CacheStore, serializer=lambda s: str(s.directory), deserializer=CacheStore
    )


def _unwrap(ray: Any, e: Exception) -> BaseException:
    """A library error raised on an actor, as itself (so it stays one line)."""
    cause = getattr(e, "cause", None)
    if isinstance(cause, ConsistencyError | KeyboardInterrupt):
        return cause
    return e


@dataclass(frozen=True)
class RayBackend:
    """Runs a feed's stories on Ray actors (a :class:`~consistency.runner.backends.Backend`).

    Attributes:
        address: the Ray cluster (see :func:`connect`); None: ``RAY_ADDRESS`` or a
            local instance started (and stopped) by each run.
        workers: how many actors (each holds its own copy of the models and takes
            one CPU); default, and at most, the cluster's CPUs; at most one per story.

    The models chosen travel to each actor before they are loaded: an embedder or
    NLI model already loaded in this process may not be serialisable (then
    :class:`~consistency.runner.backends.BackendError`).
    """

    address: str | None = None
    workers: int | None = None
    name: str = "ray"

    def run_feed(
        self,
        articles: pl.DataFrame,
        settings: Settings,
        models: ModelChoice | None,
        options: RunOptions,
    ) -> Report:
        """:class:`~consistency.runner.backends.local.LocalBackend`'s report, the stories run
        on Ray actors (the pipeline stages inside an actor report no progress)."""
        ARTICLES.validate(articles)
        ray = _import_ray()
        started = connect(self.address, num_cpus=self.workers)
        actors: list[Any] = []
        try:
            _register_serializers(ray)
            n, remote, shipped = _actor_class(ray, self.workers, (settings, models))
            first = remote.remote(shipped)
            actors.append(first)
            stories = _stories_stage(ray, first, articles, options)
            wanted = set(options.focus) if options.focus is not None else None
            todo = stories_to_run(stories, wanted)
            if not todo:  # no article at all: the pipeline's own empty-input handling
                call = first.run_story.remote(0, articles, None, options.warnings, None)
                _, empty = ray.get(call)
                return replace(empty, stories=STORIES.empty())
            while len(actors) < min(n, len(todo)):
                actors.append(remote.remote(shipped))
            jobs = _story_jobs(todo, articles, wanted)
            parts = _story_stage(ray, actors, jobs, options)
            shown = articles_shown(articles, todo, wanted)
            ran = pl.DataFrame(todo, schema=STORIES.polars_schema)
            return merge_reports([parts[k] for k in range(len(todo))], shown, ran)
        finally:
            for a in actors:
                ray.kill(a)
            if started:
                shutdown(ray)


def make_backend(*, address: str | None = None, workers: int | None = None) -> RayBackend:
    """The Ray backend on the cluster at ``address`` with ``workers`` actors (see
    :class:`RayBackend`)."""
    return RayBackend(address=address, workers=workers)


def _actor_class(
    ray: Any, workers: int | None, models: tuple[Settings, ModelChoice | None]
) -> tuple[int, Any, Any]:
    """How many actors, the :class:`StoryWorker` actor class, and the models put in Ray."""
    cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
    n = min(workers or cpus, cpus)  # an actor takes a CPU: more would wait for ever
    remote = ray.remote(num_cpus=1)(StoryWorker)
    try:
        shipped = ray.put(models)
    except Exception as e:  # noqa: BLE001 - e.g. a loaded ONNX session
        raise BackendError(
            f"the models cannot be sent to Ray workers ({type(e).__name__}: {e}); "
            "pass them unloaded, or none (each worker then loads the settings' models)"
        ) from None
    return n, remote, shipped


def _stories_stage(
    ray: Any, first: Any, articles: pl.DataFrame, options: RunOptions
) -> pl.DataFrame:
    """STORIES of the feed, the openings the grouping compares embedded by the ``first`` actor."""
    from consistency.stages.stories import group_stories, one_story

    progress = options.progress
    if progress is not None:
        progress("stories", 0, 1)
    if options.one_story:
        stories = one_story(articles, options.story_settings)
    else:
        model_id = ray.get(first.model_id.remote())  # the actor's embedder, as it resolved it
        stories = group_stories(articles, _ActorEmbedder(first, model_id), options.story_settings)
    if progress is not None:
        progress("stories", 1, 1)
    return stories


def _story_jobs(
    todo: Sequence[dict[str, Any]], articles: pl.DataFrame, wanted: set[str] | None
) -> list[tuple[int, pl.DataFrame, list[str] | None]]:
    """(story number, its ARTICLES, its focus) of each story to run, the largest first."""
    jobs = []
    for k, row in enumerate(todo):
        ids = row["article_ids"]
        part = articles.filter(pl.col("article_id").is_in(ids))
        f = None if wanted is None else sorted(wanted.intersection(ids))
        jobs.append((k, part, f))
    jobs.sort(key=lambda j: -j[1].height)  # largest first: the long ones start early
    return jobs


def _story_stage(
    ray: Any,
    actors: list[Any],
    jobs: list[tuple[int, pl.DataFrame, list[str] | None]],
    options: RunOptions,
) -> dict[int, Report]:
    """Each story's report (story number -> report), run by idle actors as they come free."""
    from ray.util import ActorPool

    progress, warnings, index_cache = options.progress, options.warnings, options.index_cache
    pool = ActorPool(actors)
    parts: dict[int, Report] = {}
    if progress is not None:
        progress("story", 0, len(jobs))
    try:
        for k, rep in pool.map_unordered(
            lambda a, j: a.run_story.remote(j[0], j[1], j[2], warnings, index_cache), jobs
        ):
            parts[k] = rep
            if progress is not None:
                progress("story", len(parts), len(jobs))
    except ray.exceptions.RayTaskError as e:
        raise _unwrap(ray, e) from None
    return parts
