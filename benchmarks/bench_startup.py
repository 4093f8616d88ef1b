"""Start-up cost: ``drift --help`` vs ``python -c "import transformers"`` (fresh processes).

usage: python benchmarks/bench_startup.py [--runs 5]

Median wall time of ``--runs`` fresh processes each; target ratio drift/transformers < 0.5.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def wall(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   cwd=ROOT)
    return time.perf_counter() - t


def drift_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "drift"
    if exe.is_file():
        return [str(exe), "--help"]
    found = shutil.which("drift")
    return [found, "--help"] if found else [sys.executable, "-m", "drift", "--help"]


def run(runs: int = 5) -> dict[str, float]:
    drift = drift_cmd()
    tf = [sys.executable, "-c", "import transformers"]
    wall(drift)  # warm the file cache for both
    wall(tf)
    d, t = [], []
    for _ in range(runs):  # interleaved, so drifting machine load hits both alike
        d.append(wall(drift))
        t.append(wall(tf))
    out = {"drift_help_s": statistics.median(d), "import_transformers_s": statistics.median(t)}
    out["ratio"] = out["drift_help_s"] / out["import_transformers_s"]
    print(f"drift --help {out['drift_help_s']:.3f} s, import transformers "
          f"{out['import_transformers_s']:.3f} s (medians of {runs}); ratio {out['ratio']:.2f} "
          "(target < 0.5)")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    run(ap.parse_args().runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
