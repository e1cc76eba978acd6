"""Where sweep batches run: in this process, in a process pool, or on a Dask cluster.

    Executor.map(fn, tasks, context)   yields (task, result or exception) as batches finish, calling
                              fn(context, task); a failed batch is reported, never fatal to the sweep.
                              The context (the World) is sent to each worker once: a process pool
                              gets it through its initializer, a Dask cluster by scatter.
    make_executor(name, scheduler=None)   "local" | "process" | "dask"

Dask (distributed) is the cluster engine (docs/decisions/0004): without a scheduler address it
starts a LocalCluster of worker processes on this machine; with one, it joins that cluster.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from typing import Protocol, TypeVar

from csto.domain.errors import UsageError

T = TypeVar("T")
R = TypeVar("R")
C = TypeVar("C")
EXECUTORS = ("local", "process", "dask")


class ExecutorError(UsageError):
    """Sweep batches cannot be sent where asked (unknown executor, unreachable scheduler)."""


class Executor(Protocol):
    name: str

    def map(
        self, fn: Callable[[C, T], R], tasks: list[T], context: C
    ) -> Iterator[tuple[T, R | BaseException]]: ...

    def close(self) -> None: ...


class LocalExecutor:
    name = "local"

    def map(
        self, fn: Callable[[C, T], R], tasks: list[T], context: C
    ) -> Iterator[tuple[T, R | BaseException]]:
        for task in tasks:
            try:
                yield task, fn(context, task)
            except Exception as exc:
                yield task, exc

    def close(self) -> None:
        return None


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

    def map(
        self, fn: Callable[[C, T], R], tasks: list[T], context: C
    ) -> Iterator[tuple[T, R | BaseException]]:
        self.close()  # a pool per context: its workers hold exactly that World
        self.pool = ProcessPoolExecutor(
            max_workers=self.workers, initializer=_receive, initargs=(context,)
        )
        futures: dict[Future[R], T] = {
            self.pool.submit(_call, fn, task): task  # type: ignore[arg-type]
            for task in tasks
        }
        for future in as_completed(futures):
            exc = future.exception()
            yield futures[future], (exc if exc is not None else future.result())

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()
            self.pool = None


class DaskExecutor:
    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int | None = None) -> None:
        from distributed import Client, LocalCluster  # imported here: only this executor needs it

        if scheduler:
            self.cluster = None
            try:
                self.client = Client(scheduler, timeout="10s")
            except (OSError, TimeoutError) as exc:
                raise ExecutorError(
                    f"cannot reach the Dask scheduler at {scheduler}: {exc}"
                ) from None
        else:
            self.cluster = LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            self.client = Client(self.cluster)

    def map(
        self, fn: Callable[[C, T], R], tasks: list[T], context: C
    ) -> Iterator[tuple[T, R | BaseException]]:
        from distributed import as_completed as dask_completed

        shared = self.client.scatter(context, broadcast=True, hash=False)
        futures = {self.client.submit(fn, shared, task, pure=False): task for task in tasks}
        for future in dask_completed(list(futures)):
            task = futures[future]
            if future.status == "error":
                yield task, future.exception()
            else:
                yield task, future.result()

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
