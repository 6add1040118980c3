"""Sample generation speed: posts/s of ``listener.sample.generate_pages``
(plan, payloads, item split, feedparser for the feeds), median of several runs.

    python bench/sample_generate.py [--posts 100000] [--runs 3]

Target: >= 20,000 posts/s, so that generating the benchmark's posts does not
dominate bench/pipeline.py. Prints wall-clock and process CPU time: on a
shared machine the wall figure includes time spent waiting for a core.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from listener.sample import generate_pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    wall, cpu = [], []
    for run in range(args.runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        items = sum(len(page.items) for page in generate_pages(args.posts, seed=run))
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        print(f"run {run + 1}: {args.posts} posts ({items} items) in {wall[-1]:.2f} s "
              f"wall, {cpu[-1]:.2f} s CPU")
    for name, times in (("wall", wall), ("CPU", cpu)):
        median = statistics.median(times)
        print(f"median {name}: {args.posts / median:,.0f} posts/s ({median:.2f} s)"
              "   target >= 20,000")
    print(f"load average during the runs: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
