"""Where sweep batches run: in this process, in a process pool, or on a Dask cluster.

    Executor.map(fn, tasks)   yields (task, result or exception) as batches finish; a failed batch is
                              reported, never fatal to the sweep
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
EXECUTORS = ("local", "process", "dask")


class ExecutorError(UsageError):
    """Sweep batches cannot be sent where asked (unknown executor, unreachable scheduler)."""


class Executor(Protocol):
    name: str

    def map(
        self, fn: Callable[[T], R], tasks: list[T]
    ) -> Iterator[tuple[T, R | BaseException]]: ...

    def close(self) -> None: ...


class LocalExecutor:
    name = "local"

    def map(self, fn: Callable[[T], R], tasks: list[T]) -> Iterator[tuple[T, R | BaseException]]:
        for task in tasks:
            try:
                yield task, fn(task)
            except Exception as exc:
                yield task, exc

    def close(self) -> None:
        return None


class ProcessExecutor:
    name = "process"

    def __init__(self, workers: int | None = None) -> None:
        self.pool = ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1)

    def map(self, fn: Callable[[T], R], tasks: list[T]) -> Iterator[tuple[T, R | BaseException]]:
        futures: dict[Future[R], T] = {self.pool.submit(fn, task): task for task in tasks}
        for future in as_completed(futures):
            exc = future.exception()
            yield futures[future], (exc if exc is not None else future.result())

    def close(self) -> None:
        self.pool.shutdown()


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

    def map(self, fn: Callable[[T], R], tasks: list[T]) -> Iterator[tuple[T, R | BaseException]]:
        from distributed import as_completed as dask_completed

        futures = {self.client.submit(fn, task, pure=False): task for task in tasks}
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
