"""Writes the small CSV files the README's command-line examples read: X.csv (200 points in
R^5, header x0..x4), train.csv (300 rows) and test.csv (100 rows) with inputs x0..x4 and a target
y = sin(x . w / 2) + 0.1 noise. Standard library only; fixed seed, so the files are the same on
every machine. Usage: python3 scripts/example-data.py [DIR]
"""
import math
import os
import random
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "."
rng = random.Random(20)
w = [rng.gauss(0, 1) for _ in range(5)]


def rows(count, with_target):
    for _ in range(count):
        x = [rng.gauss(0, 1) for _ in range(5)]
        if with_target:
            x.append(math.sin(sum(a * b for a, b in zip(x, w)) / 2) + 0.1 * rng.gauss(0, 1))
        yield x


def write(name, count, with_target):
    header = [f"x{k}" for k in range(5)] + (["y"] if with_target else [])
    path = os.path.join(out, name)
    with open(path + ".tmp", "w") as f:
        f.write(",".join(header) + "\n")
        for r in rows(count, with_target):
            f.write(",".join(repr(v) for v in r) + "\n")
    os.replace(path + ".tmp", path)
    print(f"wrote {path}")


write("X.csv", 200, False)
write("train.csv", 300, True)
write("test.csv", 100, True)
