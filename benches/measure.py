#!/usr/bin/env python3
"""Times whole processes: median wall time, CPU time and peak RSS over runs.

Usage: measure.py LABEL FILES RUNS -- COMMAND...
Prints: LABEL<TAB>FILES<TAB>median wall seconds<TAB>files/s<TAB>CPU seconds
(user + system, of the median run)<TAB>peak RSS MiB<TAB>exit code

On a shared machine the wall time depends on the load; the CPU time much less.
"""
import os
import subprocess
import sys
import time


def main():
    label, files, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    command = sys.argv[sys.argv.index("--") + 1:]
    samples, peak, code = [], 0, 0
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        samples.append((time.perf_counter() - start, usage.ru_utime + usage.ru_stime))
        peak = max(peak, usage.ru_maxrss)  # KiB on Linux
        code = os.waitstatus_to_exitcode(status)
    samples.sort()
    wall, cpu = samples[len(samples) // 2]
    print(f"{label}\t{files}\t{wall:.3f}\t{files / wall:.0f}\t{cpu:.3f}\t{peak / 1024:.0f}\t{code}", flush=True)


if __name__ == "__main__":
    main()
