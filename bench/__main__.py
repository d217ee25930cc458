"""Run every benchmark module in its own process (so peak memory is its own)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
SKIP = {"__init__", "__main__", "common"}


def main() -> int:
    names = sys.argv[1:] or sorted(
        path.stem for path in HERE.glob("*.py") if path.stem not in SKIP
    )
    print(f"BENCH_SCALE={os.environ.get('BENCH_SCALE', '0.1')}; benchmarks: {', '.join(names)}")
    failed = 0
    for name in names:
        print(f"\n=== {name} ===", flush=True)
        failed += subprocess.call([sys.executable, "-m", f"bench.{name}"], cwd=HERE.parent) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
