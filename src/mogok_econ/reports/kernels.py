"""One kernel for every notebook a build worker runs: started once, reset between two notebooks.

Starting a kernel and importing pandas, matplotlib, SciPy and this package cost about 4-5 s a notebook,
a third of a report's time (benchmarks/run.py). A worker keeps its kernel and, before each notebook
after the first, puts it back in the state a fresh kernel shows a notebook: an empty namespace and
history (execution counts from 1), matplotlib's settings as just after import and no open figure,
and warnings that show again. Only imported modules stay, which is the point, with the loaders' parsed
files (kept by their content's hash, so never stale); they hold nothing a notebook changes. Whether that is
enough is checked, not assumed: benchmarks/run.py and tests/reports/test_build.py compare the reports
byte for byte with those of a fresh kernel per notebook.

`prepare_inside` and `reset_inside` run inside the kernel; the rest in the worker.
"""
from __future__ import annotations

from pathlib import Path

#: matplotlib's settings just after pyplot's import in this kernel (set by prepare_inside).
_FRESH_RC = None

_CALL = '__import__("mogok_econ.reports.kernels", fromlist=["_"]).{}()'  # binds no name in the notebook's namespace


def prepare_inside() -> None:
    """In a new kernel, before its first notebook: import pyplot as the first notebook would (the inline
    backend sets its defaults then) and remember the settings a fresh kernel starts from."""
    global _FRESH_RC
    import matplotlib
    import matplotlib.pyplot  # the inline backend sets its defaults on this import

    _FRESH_RC = matplotlib.rcParams.copy()


def reset_inside() -> None:
    """In a kernel that ran a notebook: back to what a fresh kernel shows the next one."""
    import warnings

    import matplotlib
    import matplotlib.pyplot as plt
    from IPython import get_ipython

    plt.close("all")
    matplotlib.rcParams.update(_FRESH_RC)
    get_ipython().reset(new_session=True)  # namespace, In/Out, history; execution count back to 1
    # The package's own process state: figure and table numbers and glossary links start again (a fresh
    # kernel has none of it).
    import sys

    if "mogok_econ.reports.display" in sys.modules:
        sys.modules["mogok_econ.reports.display"].reset()
    # Warnings shown "once" or "default" are remembered per module; a fresh kernel has seen none.
    mutated = getattr(warnings, "_filters_mutated", None)
    if mutated is not None:
        mutated()


#: The thread pools of the numerical libraries a kernel loads (OpenBLAS, OpenMP, MKL), by their variables.
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def kernel_environment(threads: int | None) -> dict[str, str]:
    """What a build worker's kernel should start with, beyond the worker's environment:
    - `threads` (when given) for the numerical libraries: with a kernel per core, a library's own threads
      only fight the other kernels for the cores (benchmarks/run.py: a cold build of every report took 94 s
      with OpenBLAS's default threads, 83 s with one thread a kernel, on 2 cores);
    - NumPy's large arrays in ordinary 4 KiB pages, not transparent huge pages (NUMPY_MADVISE_HUGEPAGE=0).
      On the virtual machines we build on, a huge page the process has not used before is slow to get:
      the first 210 MB of new arrays took 2.7-3.9 s to fill with huge pages and 0.15 s without, and the
      brief's running total since the coup (three arrays of 131 months x 100,000 draws) 5.5 s against
      0.6 s. Where huge pages come cheap, going without costs little (a page fault per 4 KiB). The
      numbers are the same either way: only where the memory comes from changes."""
    variables = {"NUMPY_MADVISE_HUGEPAGE": "0"}
    if threads is not None:
        variables |= {variable: str(threads) for variable in THREAD_VARIABLES}
    return variables


class KernelGone(RuntimeError):
    """The worker's kernel died between two notebooks (killed, or out of memory)."""


class WarmKernel:
    """The kernel of one worker. `before_notebook()` gives the kernel manager for papermill's `km`."""

    def __init__(self, cwd: Path, extra_arguments: list[str], timeout: float = 60):
        self.cwd, self.extra_arguments, self.timeout = cwd, extra_arguments, timeout
        self.km = None
        self.used = 0  # notebooks run in it

    def before_notebook(self):
        from jupyter_core.utils import run_sync

        if self.km is None:
            self.km = _manager()
            run_sync(self.km.start_kernel)(cwd=str(self.cwd), extra_arguments=self.extra_arguments)
            self._silently(_CALL.format("prepare_inside"))
        else:
            if not run_sync(self.km.is_alive)():
                self.discard()
                raise KernelGone("its kernel died between two notebooks")
            self._silently(_CALL.format("reset_inside"))
        self.used += 1
        return self.km

    def after_notebook(self) -> None:
        """Close the connections papermill opened to the kernel (it leaves them open on a kernel it does not
        own)."""
        for client in self.km.opened:
            client.stop_channels()
        self.km.opened.clear()

    def discard(self) -> None:
        """Shut the kernel down at once (after a failure, or when the worker ends)."""
        if self.km is None:
            return
        from jupyter_core.utils import run_sync

        km, self.km = self.km, None
        try:
            for client in km.opened:
                client.stop_channels()
            run_sync(km.shutdown_kernel)(now=True)
        except Exception:  # already gone: nothing to shut down
            pass

    def _silently(self, code: str) -> None:
        """Run `code` with no output, no history and no execution count (a notebook sees none of it)."""
        from jupyter_core.utils import run_sync

        async def run() -> dict:
            client = self.km.client()
            client.start_channels()
            try:
                await client.wait_for_ready(timeout=self.timeout)
                return await client.execute_interactive(code, silent=True, store_history=False, allow_stdin=False,
                                                        timeout=self.timeout, output_hook=lambda _msg: None)
            finally:
                client.stop_channels()

        try:
            reply = run_sync(run)()
        except Exception as exc:
            if not run_sync(self.km.is_alive)():  # killed while being prepared: say so, not "timed out"
                self.discard()
                raise KernelGone("its kernel died while it was being prepared for the notebook") from exc
            raise
        self.km.opened.clear()
        content = reply["content"]
        if content["status"] != "ok":
            raise RuntimeError(f"preparing the kernel failed: {content.get('ename')}: {content.get('evalue')}")


def _manager():
    """An asynchronous kernel manager (what nbclient needs) that remembers the clients it hands out."""
    from jupyter_client.manager import AsyncKernelManager

    class _Manager(AsyncKernelManager):
        def client(self, **kwargs):
            made = super().client(**kwargs)
            self.opened.append(made)
            return made

    km = _Manager(kernel_name="python3")
    km.opened = []
    return km
