#!/usr/bin/env python3
"""Times whole processes: median wall time over runs and peak RSS.

Usage: measure.py LABEL FILES RUNS -- COMMAND...
Prints: LABEL<TAB>FILES<TAB>median seconds<TAB>files/s<TAB>peak RSS MiB<TAB>exit code
"""
import os
import subprocess
import sys
import time


def main():
    label, files, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    command = sys.argv[sys.argv.index("--") + 1:]
    times, peak, code = [], 0, 0
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        peak = max(peak, usage.ru_maxrss)  # KiB on Linux
        code = os.waitstatus_to_exitcode(status)
    times.sort()
    median = times[len(times) // 2]
    print(f"{label}\t{files}\t{median:.3f}\t{files / median:.0f}\t{peak / 1024:.0f}\t{code}", flush=True)


if __name__ == "__main__":
    main()
