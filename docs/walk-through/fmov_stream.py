#!/usr/bin/env python3
"""Stream an FMOV recording to the agent as a live device would.

serial: write the line protocol (seq,eda,emg_corrugator,emg_zygomaticus) to a serial port or
        pseudo-terminal, one line per sample.
mqtt:   print one JSON sample payload per line (docs/mqtt-ingest.md), for `mosquitto_pub -l`.

The values are copied as text from the recording, so the agent reads exactly the samples that
`ssdedge-trainer windows` reads from the file. --speed 1 is real time (100 samples per second).
"""
import argparse
import gzip
import json
import sys
import time

# FMOV columns (1-based): 1 skin conductance, 4 rectified zygomaticus EMG, 5 rectified corrugator EMG.
CHANNELS = (("eda", 0), ("emg_corrugator", 4), ("emg_zygomaticus", 3))
RATE_HZ = 100


def rows(path):
    with gzip.open(path, "rt") as lines:
        for line in lines:
            fields = line.rstrip("\n").split("\t")
            yield [fields[column] for _, column in CHANNELS]


def paced(items, samples_per_item, speed):
    start = time.monotonic()
    for index, item in enumerate(items):
        due = start + (index * samples_per_item) / (RATE_HZ * speed)
        time.sleep(max(0.0, due - time.monotonic()))
        yield item


def stream_serial(path, port, speed):
    with open(port, "w") as device:
        # The agent drops bytes up to the first line end after it opens the port, then skips a header.
        device.write("\nseq," + ",".join(name for name, _ in CHANNELS) + "\n")
        for seq, values in enumerate(paced(rows(path), 1, speed)):
            device.write(f"{seq}," + ",".join(values) + "\n")
            device.flush()


def stream_mqtt(path, block, speed):
    samples = list(rows(path))
    blocks = range(0, len(samples), block)
    for start in paced(blocks, block, speed):
        chunk = samples[start:start + block]
        channels = {name: [float(row[c]) for row in chunk] for c, (name, _) in enumerate(CHANNELS)}
        print(json.dumps({"seq": start, "rate": RATE_HZ, "channels": channels}), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("recording", help="subjectNN_100hz.tsv.gz")
    parser.add_argument("--serial", metavar="PORT", help="write the line protocol to this port")
    parser.add_argument("--mqtt", action="store_true", help="print JSON payloads, one per line")
    parser.add_argument("--block", type=int, default=100, help="samples per MQTT payload (default 100)")
    parser.add_argument("--speed", type=float, default=1.0, help="multiple of real time (default 1)")
    args = parser.parse_args()
    if args.serial:
        stream_serial(args.recording, args.serial, args.speed)
    elif args.mqtt:
        stream_mqtt(args.recording, args.block, args.speed)
    else:
        parser.error("give --serial PORT or --mqtt")


if __name__ == "__main__":
    sys.exit(main())
