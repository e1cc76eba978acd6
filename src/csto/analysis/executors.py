"""Where sweep batches run: in this process, in a process pool, or on a Dask cluster.

    Executor.map(fn, tasks, context)   yields (task, result or exception) as batches finish, calling
                              fn(context, task); a failed batch is reported, never fatal to the sweep.
                              The context (the World) is sent to each worker once: a process pool
                              gets it through its initializer, a Dask cluster by scatter.
    Executor.submit(fn, task, context)   one task started now, off the main thread (a thread here,
                              a pool worker, a Dask worker): the sweep's Sobol analysis runs so,
                              beside the batches; `.result()` waits for it
    make_executor(name, scheduler=None)   "local" | "process" | "dask"

Dask (distributed) is the cluster engine (docs/decisions/0004): without a scheduler address it
starts a LocalCluster of worker processes on this machine, bound to 127.0.0.1, with no dashboard
(its HTTP endpoint on a free port, never 8787) and without distributed's default
MALLOC_TRIM_THRESHOLD_=65536 in the workers (with it, the workers' page faults made Dask slower
than this process alone: docs/benchmarks.md); with an address it joins that cluster.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from typing import Any, Protocol, TypeVar

from csto.domain.errors import UsageError

T = TypeVar("T")
R = TypeVar("R")
C = TypeVar("C")
EXECUTORS = ("local", "process", "dask")


class ExecutorError(UsageError):
    """Sweep batches cannot be sent where asked (unknown executor, unreachable scheduler)."""


R_co = TypeVar("R_co", covariant=True)


class Handle(Protocol[R_co]):
    def result(self) -> R_co: ...


class Executor(Protocol):
    name: str

    def map(
        self, fn: Callable[[C, T], R], tasks: list[T], context: C
    ) -> Iterator[tuple[T, R | BaseException]]: ...

    def submit(self, fn: Callable[[C, T], R], task: T, context: C) -> Handle[R]: ...

    def close(self) -> None: ...


class LocalExecutor:
    name = "local"

    def __init__(self) -> None:
        self.thread: ThreadPoolExecutor | None = None

    def submit(self, fn: Callable[[C, T], R], task: T, context: C) -> Handle[R]:
        if self.thread is None:
            self.thread = ThreadPoolExecutor(1, thread_name_prefix="csto-analysis")
        return self.thread.submit(fn, context, task)

    def map(
        self, fn: Callable[[C, T], R], tasks: list[T], context: C
    ) -> Iterator[tuple[T, R | BaseException]]:
        for task in tasks:
            try:
                yield task, fn(context, task)
            except Exception as exc:
                yield task, exc

    def close(self) -> None:
        if self.thread is not None:
            self.thread.shutdown()
            self.thread = None


# The context a pool worker received from its initializer: the worker's own copy of the World.
_worker_context: list[object] = []


def _receive(context: object) -> None:
    _worker_context[:] = [context]


def _call(fn: Callable[[object, T], R], task: T) -> R:
    return fn(_worker_context[0], task)


class ProcessExecutor:
    name = "process"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.pool: ProcessPoolExecutor | None = None
        self.context: Any = None

    def _pool(self, context: object) -> ProcessPoolExecutor:
        if self.pool is None or self.context is not context:
            self.close()  # a pool per context: its workers hold exactly that World
            self.pool = ProcessPoolExecutor(
                max_workers=self.workers, initializer=_receive, initargs=(context,)
            )
            self.context = context
        return self.pool

    def submit(self, fn: Callable[[C, T], R], task: T, context: C) -> Handle[R]:
        return self._pool(context).submit(_call, fn, task)  # type: ignore[arg-type]

    def map(
        self, fn: Callable[[C, T], R], tasks: list[T], context: C
    ) -> Iterator[tuple[T, R | BaseException]]:
        pool = self._pool(context)
        futures: dict[Future[R], T] = {
            pool.submit(_call, fn, task): task  # type: ignore[arg-type]
            for task in tasks
        }
        for future in as_completed(futures):
            exc = future.exception()
            yield futures.pop(future), (exc if exc is not None else future.result())

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()
            self.pool = None
            self.context = None


class DaskExecutor:
    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int | None = None) -> None:
        import dask
        from distributed import Client, LocalCluster  # imported here: only this executor needs it

        self.shared: tuple[object, Any] | None = None
        if scheduler:
            self.cluster = None
            try:
                self.client = Client(scheduler, timeout="10s")
            except (OSError, TimeoutError) as exc:
                raise ExecutorError(
                    f"cannot reach the Dask scheduler at {scheduler}: {exc}"
                ) from None
        else:
            trim = "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_"
            with dask.config.set({trim: None}):  # the workers start without it
                self.cluster = LocalCluster(
                    n_workers=workers or os.cpu_count() or 1,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,  # no dashboard ...
                    scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},  # ... nor port 8787
                )
            self.client = Client(self.cluster)

    def _shared(self, context: object) -> Any:
        if self.shared is None or self.shared[0] is not context:
            self.shared = (context, self.client.scatter(context, broadcast=True, hash=False))
        return self.shared[1]

    def submit(self, fn: Callable[[C, T], R], task: T, context: C) -> Handle[R]:
        future: Handle[R] = self.client.submit(fn, self._shared(context), task, pure=False)
        return future

    def map(
        self, fn: Callable[[C, T], R], tasks: list[T], context: C
    ) -> Iterator[tuple[T, R | BaseException]]:
        from distributed import as_completed as dask_completed

        shared = self._shared(context)
        futures = {self.client.submit(fn, shared, task, pure=False): task for task in tasks}
        for future in dask_completed(list(futures)):
            task = futures.pop(future)  # dropped as soon as read: the worker frees the result
            if future.status == "error":
                yield task, future.exception()
            else:
                yield task, future.result()
            future.release()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_executor(name: str, scheduler: str | None = None, workers: int | None = None) -> Executor:
    if scheduler and name != "dask":
        raise ExecutorError(f"--scheduler is for the dask executor; got executor {name!r}")
    if name == "local":
        return LocalExecutor()
    if name == "process":
        return ProcessExecutor(workers)
    if name == "dask":
        return DaskExecutor(scheduler, workers)
    raise ExecutorError(f"no executor {name!r}; allowed: {', '.join(EXECUTORS)}")
