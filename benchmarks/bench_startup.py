"""Start-up cost: ``drift --help`` vs ``python -c "import transformers"`` (fresh processes).

usage: python benchmarks/bench_startup.py [--runs 5]

Median wall time of ``--runs`` fresh processes each, the two commands alternating (so that a
load change hits both alike); target ratio drift/transformers < 0.5. Also lists the heavy
modules (torch, transformers, spacy, ctranslate2, sentencepiece, sacrebleu) that ``drift --help``
imports (``python -X importtime``): there should be none.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "transformers", "spacy", "ctranslate2", "sentencepiece", "sacrebleu", "numpy")


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


def heavy_imports() -> list[str]:
    """Top-level heavy packages imported by ``drift --help`` (from ``-X importtime``)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "drift", "--help"],
                          capture_output=True, text=True, cwd=ROOT)
    found = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            name = line.rsplit("|", 1)[1].strip().split(".")[0]
            if name in HEAVY:
                found.add(name)
    return sorted(found)


def run(runs: int = 5) -> dict[str, Any]:
    drift = drift_cmd()
    tf = [sys.executable, "-c", "import transformers"]
    wall(drift)  # warm the file cache for both
    wall(tf)
    d, t = [], []
    for _ in range(runs):  # interleaved, so drifting machine load hits both alike
        d.append(wall(drift))
        t.append(wall(tf))
    out: dict[str, Any] = {"drift_help_s": statistics.median(d),
                           "import_transformers_s": statistics.median(t), "runs": runs}
    out["ratio"] = out["drift_help_s"] / out["import_transformers_s"]
    out["heavy_imports"] = heavy_imports()
    print(f"drift --help {out['drift_help_s']:.3f} s, import transformers "
          f"{out['import_transformers_s']:.3f} s (medians of {runs}); ratio {out['ratio']:.2f} "
          f"(target < 0.5); heavy modules imported by drift --help: "
          f"{', '.join(out['heavy_imports']) or 'none'}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    run(ap.parse_args().runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
