"""The build's worker processes: one kernel each (kernels.py), rendering reports (build.render_one) in
parallel. A worker ends with its build (end_with_parent) and its kernel with it; a worker that dies (killed,
or out of memory) breaks the pool, which fails the build at once, saying so."""
from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.util
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor
from concurrent.futures import wait as wait_for
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from .. import paths
from ..inputs.world import World
from .catalogue import ReportJob
from .kernels import WarmKernel, kernel_environment
from .publish import KEPT, RenderError, state_message

#: The worker's kernel, reused by every notebook the worker runs (kernels.py says why and how).
_KERNEL: WarmKernel | None = None


def render_star(args) -> dict[str, Any]:
    from .build import render_one

    return render_one(*args, kernel=_KERNEL)


def end_with_parent(parent: int) -> None:
    """Linux: this process gets SIGKILL when the process that started it ends (PR_SET_PDEATHSIG), so that a
    worker never outlives its build (its kernel then ends too: ipykernel watches its parent). If the parent
    is already gone, end now. Elsewhere, nothing (the kernel's own watch remains)."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # 1: PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)


def worker_init(threads: int | None = None, parent: int | None = None) -> None:
    """Workers die with their build (end_with_parent), at once on SIGTERM (the parent's clean-up handler is
    not theirs; their kernel, left without its parent, ends itself within a second) and leave Ctrl-C to the
    parent, which then terminates them. A worker that ends normally shuts its kernel down. Its kernel starts
    with the worker's environment and `kernel_environment(threads)` (kernels.py says why)."""
    global _KERNEL
    if parent is not None:
        end_with_parent(parent)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for variable, value in kernel_environment(threads).items():
        os.environ.setdefault(variable, value)  # a variable the user set is left as it is
    from .build import KERNEL_ARGUMENTS

    _KERNEL = WarmKernel(paths.NOTEBOOKS, KERNEL_ARGUMENTS)
    multiprocessing.util.Finalize(None, _KERNEL.discard, exitpriority=10)


#: Reports that take longer than a scenario report (they run every scenario, or every month): started first,
#: so that no worker is left with a long report at the end while the others wait.
LONG_KINDS = ("timeline", "policy", "comparison")


def longest_first(todo: list[ReportJob]) -> list[ReportJob]:
    return sorted(todo, key=lambda job: LONG_KINDS.index(job.kind) if job.kind in LONG_KINDS else len(LONG_KINDS))


def render_all(todo: list[ReportJob], staging: Path, workers: int, cell_timeout: int,
                progress: Callable[[str], None], hashes: dict[str, str], world: World) -> dict[str, dict]:
    """Render every job into `staging` (each notebook loads the folder of `world`, given as its `data`
    parameter); stop at the first failure (RenderError), or as soon as a worker process dies (killed, or
    out of memory: the pool breaks). On any interruption the worker processes are terminated (their
    kernels exit when their parent does)."""
    from .build import provenance

    made = provenance(world)
    workers = max(1, min(workers, len(todo)))
    progress(f"rendering {len(todo)} report(s) with {workers} worker(s)...")
    threads = max(1, (os.cpu_count() or 1) // workers) if workers > 1 else None
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=worker_init, initargs=(threads, os.getpid()))
    rendered: dict[str, dict] = {}
    try:
        pending = {pool.submit(render_star, (job, staging, made, cell_timeout, hashes[job.name])): job.name
                   for job in longest_first(todo)}
        processes = list((getattr(pool, "_processes", None) or {}).values())  # started by now (fork)
        while pending:
            finished, _ = wait_for(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                pending.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    for process in processes:
                        process.join(timeout=2)  # its exit status, for the message
                    unfinished = [job.name for job in todo if job.name not in rendered]
                    raise RenderError(state_message(_dead_worker(processes, unfinished), KEPT)) from None
                if not result["ok"]:
                    raise RenderError(f"{result['error']}\nThe build stopped; {KEPT}")
                rendered[result["name"]] = result
                progress(f"[{len(rendered)}/{len(todo)}] {result['name']} ({result['seconds']:.1f} s); "
                         f"{len(todo) - len(rendered)} left")
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)
    return rendered


def _dead_worker(processes: list, unfinished: list[str]) -> str:
    """What to say when a worker process died: which, how, and which reports were not finished."""
    how = ""
    for process in processes:
        code = process.exitcode
        if code is not None and code < 0:
            name = signal.Signals(-code).name
            how = (f" (process {process.pid}, {name}"
                   + (": killed from outside, or by the out-of-memory killer)" if name == "SIGKILL" else ")"))
            break
        if code:
            how = f" (process {process.pid}, exit status {code})"
    return f"a build worker process died{how} before its report was done; unfinished: {', '.join(unfinished)}"


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the pool's workers now (SIGTERM: they die at once, and their kernels with them)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=10)
