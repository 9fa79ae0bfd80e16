#!/usr/bin/env python3
"""Real early exit in Python: a multi-exit TorchScript model run stage by stage, a scheduler after each exit.

    early_exit_runtime.py MODEL.pt SCHED.pt|SCHED.json PREDICTIONS.h5 [--split val|test] [--batch B]
                          [--threads T] [--out decisions.csv]

The model (docs/deploy.md, "Real early exit") has `num_exits()`, `stage(k, x)` (block k on block k-1's
output; for k = 0 the file's stored uint8 images, as stored) and `head(k, h)` (exit k's logits). The
scheduler is the one `eenet-cli train --out` writes: a TorchScript one is called through its own `score`
and `threshold` methods, a JSON one through apply_scheduler.py's NumPy code, next to this file.

--batch 1 runs one sample at a time. A larger batch is compacted: the samples that leave at exit k drop
out, and block k + 1 runs on those left only. Either way a sample leaves at the first exit whose score
reaches the threshold, the last exit answers for everyone left, and the decisions are those of
`eenet-cli run` and `eenet-cli apply` (the test suite, tst_clirun, checks it sample by sample).

Writes `index,exit,prediction` per sample (0-based exit), the CSV of `eenet-cli run --decisions`, and prints
the accuracy, the exit fractions and the time per sample with early exit and for the full model (every
sample through every block, the last head only), both on the same batches.
"""
import argparse
import os
import sys
import time

import h5py
import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from apply_scheduler import JsonScheduler, TorchScriptScheduler  # noqa: E402  (the same scores, reused)


def early_exit_batch(model, scheduler, x):
    """Exit and prediction of each sample of one batch, leaving as early as the scheduler lets it."""
    n = len(x)
    exits = np.empty(n, dtype=np.int64)
    predictions = np.empty(n, dtype=np.int64)
    running = np.arange(n)  # positions in the batch of the samples still running
    previous_scores = np.zeros((n, 0))
    previous_predictions = np.zeros((n, 0), dtype=np.int64)
    h = x
    for k in range(scheduler.num_exits):
        h = model.stage(k, h)
        # float32 softmax, as the predictions file stores it; scores are computed in float64 from it.
        p = torch.softmax(model.head(k, h), dim=1).numpy().astype(np.float64)
        predicted = p.argmax(axis=1)  # first maximum on ties
        last = k == scheduler.num_exits - 1
        if last:
            leave = np.ones(len(running), dtype=bool)
        else:
            scores = scheduler.score(k, p, previous_scores, previous_predictions)
            leave = scores >= scheduler.threshold(k)
        exits[running[leave]] = k
        predictions[running[leave]] = predicted[leave]
        stay = ~leave
        if last or not stay.any():
            break
        running = running[stay]
        h = h[torch.from_numpy(stay)]  # compact: the next block runs on the samples left only
        previous_scores = np.column_stack([previous_scores[stay], scores[stay]])
        previous_predictions = np.column_stack([previous_predictions[stay], predicted[stay]])
    return exits, predictions


def full_model_batch(model, num_exits, x):
    """The same batch without early exit: every block, then the last head."""
    h = x
    for k in range(num_exits):
        h = model.stage(k, h)
    return torch.softmax(model.head(num_exits - 1, h), dim=1).argmax(dim=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", help="MODEL.pt: num_exits(), stage(k, x), head(k, h)")
    parser.add_argument("scheduler", help="SCHED.pt or SCHED.json")
    parser.add_argument("predictions", help="predictions file with the samples' inputs (docs/format.md)")
    parser.add_argument("--split", choices=["val", "test"], help="default: test when the file has one")
    parser.add_argument("--batch", type=int, default=1, help="1: one sample at a time; more: compact batches")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    parser.add_argument("--out", help="decisions CSV (default: standard output)")
    args = parser.parse_args()
    if args.batch < 1:
        sys.exit("--batch must be at least 1")
    torch.set_num_threads(args.threads)

    pt = args.scheduler.endswith(".pt")
    scheduler = TorchScriptScheduler(args.scheduler) if pt else JsonScheduler(args.scheduler)
    model = torch.jit.load(args.model).eval()
    with h5py.File(args.predictions, "r") as f:
        split = args.split or ("test" if "test/labels" in f else "val")
        if f"{split}/inputs" not in f:
            sys.exit(f"{args.predictions}: /{split}/inputs: absent; a real run needs the samples themselves")
        inputs = torch.from_numpy(f[f"{split}/inputs"][...])
        labels = f[f"{split}/labels"][...].astype(np.int64)
    if model.num_exits() != scheduler.num_exits:
        sys.exit(f"{args.model}: {model.num_exits()} exits, but the scheduler has {scheduler.num_exits}")

    n = len(inputs)
    exits = np.empty(n, dtype=np.int64)
    predictions = np.empty(n, dtype=np.int64)
    early_s = full_s = 0.0
    with torch.no_grad():
        for first in range(0, n, args.batch):
            x = inputs[first:first + args.batch]
            start = time.perf_counter()
            batch_exits, batch_predictions = early_exit_batch(model, scheduler, x)
            exits[first:first + len(x)], predictions[first:first + len(x)] = batch_exits, batch_predictions
            middle = time.perf_counter()
            full_model_batch(model, scheduler.num_exits, x)
            early_s, full_s = early_s + middle - start, full_s + time.perf_counter() - middle

    rows = (f"{i},{e},{p}\n" for i, (e, p) in enumerate(zip(exits, predictions)))
    csv = "index,exit,prediction\n" + "".join(rows)
    if args.out is None:
        sys.stdout.write(csv)
        return
    with open(args.out, "w") as f:
        f.write(csv)
    fractions = " ".join(f"{x:.3f}" for x in np.bincount(exits, minlength=scheduler.num_exits) / n)
    mode = "one sample at a time" if args.batch == 1 else f"compact batches of {args.batch}"
    print(f"ran {args.model} with {scheduler.name} on {args.predictions} ({split}, {mode}): "
          f"accuracy {100 * np.mean(predictions == labels):.2f} %, exit fractions {fractions}; "
          f"{1000 * early_s / n:.4f} ms per sample with early exit, "
          f"{1000 * full_s / n:.4f} ms for the full model")


if __name__ == "__main__":
    main()
