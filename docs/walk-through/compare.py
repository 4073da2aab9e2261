#!/usr/bin/env python3
"""Compare the agent's per-window probabilities with `ssdedge-trainer predict` on the same windows.

Usage: compare.py WINDOWS_DIR PREDICTIONS_DIR AGENT.jsonl [DEVICE]

WINDOWS_DIR is the output of `ssdedge-trainer windows --hop-seconds ...`: origins.csv gives each
window's start, and start plus raw samples is the agent's endSample. PREDICTIONS_DIR contains
predict's probabilities.npy. Windows are matched by end sample; the script prints the counts and
the largest difference and exits with 1 when the window sets differ or a difference exceeds 1e-4.
"""
import ast
import csv
import json
import struct
import sys


def read_npy_float32(path):
    with open(path, "rb") as f:
        if f.read(6) != b"\x93NUMPY":
            raise SystemExit(f"{path} is not a .npy file")
        major = f.read(2)[0]
        header_length = struct.unpack("<H" if major == 1 else "<I", f.read(2 if major == 1 else 4))[0]
        header = ast.literal_eval(f.read(header_length).decode("latin1"))
        if header["descr"] != "<f4" or header["fortran_order"]:
            raise SystemExit(f"{path}: expected little-endian float32 in C order, got {header}")
        shape = header["shape"]
        count = 1
        for size in shape:
            count *= size
        return shape, struct.unpack(f"<{count}f", f.read(4 * count))


def main():
    if len(sys.argv) not in (4, 5):
        raise SystemExit(__doc__)
    windows_dir, predictions_dir, agent_path = sys.argv[1:4]
    device = sys.argv[4] if len(sys.argv) == 5 else None
    shape, values = read_npy_float32(f"{predictions_dir}/probabilities.npy")
    classes = shape[1]
    with open(f"{windows_dir}/origins.csv", newline="") as f:
        ends = [int(row["start_sample"]) + int(row["raw_samples"]) for row in csv.DictReader(f)]
    trainer = {end: values[i * classes:(i + 1) * classes] for i, end in enumerate(ends)}
    agent = {}
    with open(agent_path) as f:
        for line in f:
            window = json.loads(line)
            if window["outcome"] == "scored" and (device is None or window["device"] == device):
                agent[window["endSample"]] = window["probabilities"]
    missing, extra = sorted(set(trainer) - set(agent)), sorted(set(agent) - set(trainer))
    common = sorted(set(trainer) & set(agent))
    largest = max((abs(a - b) for end in common for a, b in zip(trainer[end], agent[end])), default=float("nan"))
    print(f"{len(trainer)} trainer windows, {len(agent)} agent windows, {len(common)} matched; "
          f"missing in agent {len(missing)}, extra in agent {len(extra)}; max difference {largest:.3g}")
    return 0 if not missing and not extra and common and largest <= 1e-4 else 1


if __name__ == "__main__":
    sys.exit(main())
