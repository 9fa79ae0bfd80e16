#!/usr/bin/env python3
"""Applies an EENet Studio scheduler to a predictions file, the way a deployment runs it.

    apply_scheduler.py SCHED.json|SCHED.pt PREDICTIONS.h5 [--split val|test] [--out decisions.csv]

Writes `index,exit,prediction` per sample (0-based exit), the CSV of `eenet-cli apply --decisions`.
A JSON scheduler is applied with NumPy alone; a TorchScript one (.pt, needs torch) through its own
`score` and `threshold` methods. Both go through the same loop, exit by exit, as a runtime that stops
early does: exit k only sees the samples no earlier exit took, and a sample leaves at the first exit
whose score reaches that exit's threshold; the last exit takes everyone left.

The scores repeat EENet Studio's C++ arithmetic in float64 (core/policy/ConfidenceScores.cpp and
EENetScheduler.cpp), so the decisions are the studio's. Where NumPy's log differs from C's in the last
bit, the margin the studio leaves below each threshold (1e-9, exportThresholds) absorbs it.

A scheduler fitted on temperature-scaled probabilities (`eenet-cli train --calibrate temperature`) holds
one temperature per exit; the file's probabilities are the model's own, and exit k's rows are scaled by
T_k before they are scored (temperature_scaled, as core/data/ProbabilityScaling.cpp does). A TorchScript
scheduler does that inside its `score` method.
"""
import argparse
import json
import math
import sys

import h5py
import numpy as np

# --- Temperature scaling ----------------------------------------------------------------------------

PROBABILITY_FLOOR = float(np.finfo(np.float32).tiny)  # 2^-126: log(0) reads as log of this


def temperature_scaled(p, temperature):
    """softmax(log(max(p, floor)) / T) per row, in float64 and rounded to float32 like the file's
    probabilities; where that rounding ties the row's largest probability with another, the largest is
    raised by one float step so the predicted class stays what it was. p: float64 [n, C] of float32 values."""
    if temperature == 1.0:
        return p
    logs = np.log(np.maximum(p, PROBABILITY_FLOOR))
    weights = np.exp((logs - logs.max(axis=1, keepdims=True)) / temperature)
    total = np.zeros(len(p))
    for c in range(p.shape[1]):  # class by class, the order the C++ loop adds them in
        total += weights[:, c]
    scaled = (weights / total[:, None]).astype(np.float32)
    predicted, now = p.argmax(axis=1), scaled.argmax(axis=1)
    tied = np.nonzero(predicted != now)[0]
    scaled[tied, predicted[tied]] = np.nextafter(scaled[tied, now[tied]], np.float32(2))
    return scaled.astype(np.float64)


# --- Scores, one function per score type -----------------------------------------------------------
# k: the exit (0-based). p: float64 [n, C], exit k's probabilities for the n samples still running.
# previous_scores [n, k] and previous_predictions [n, k]: what exits 0 .. k-1 gave those same samples.

TIE_BREAK = 1e-3  # patience / agreement: orders samples with equal counts by their max probability


def max_prob(k, p, previous_scores, previous_predictions):
    return p.max(axis=1)


def entropy_confidence(p):
    """1 + sum_c p log p / log C with 0 log 0 = 0: 1 for a one-hot row, 0 for a uniform one."""
    total = np.zeros(len(p))
    for c in range(p.shape[1]):  # class by class, the order the C++ loop adds them in
        pc = p[:, c]
        total += np.where(pc > 0, pc * np.log(np.where(pc > 0, pc, 1.0)), 0.0)
    return 1.0 + total / math.log(p.shape[1])


def entropy(k, p, previous_scores, previous_predictions):
    return entropy_confidence(p)


def patience(k, p, previous_scores, previous_predictions):
    """Consecutive exits ending at k that agree with exit k's prediction, divided by k + 1."""
    predicted = p.argmax(axis=1)
    run = np.ones(len(p), dtype=np.int64)
    agreeing = np.ones(len(p), dtype=bool)
    for j in range(k - 1, -1, -1):
        agreeing &= previous_predictions[:, j] == predicted
        run += agreeing
    return run / (k + 1) + TIE_BREAK * p.max(axis=1)


def agreement(k, p, previous_scores, previous_predictions):
    """Exits j <= k whose prediction equals exit k's, divided by k + 1."""
    predicted = p.argmax(axis=1)
    count = 1 + (previous_predictions == predicted[:, None]).sum(axis=1)
    return count / (k + 1) + TIE_BREAK * p.max(axis=1)


def eenet(exits):
    """EENet's learned utility: w_cls . P_k + w_max max P_k + w_ent entropy_k + sum_j w_j score_j."""
    def score(k, p, previous_scores, previous_predictions):
        class_weights, aux = exits[k]["class_weights"], exits[k]["aux_weights"]
        value = np.zeros(len(p))
        for c, w in enumerate(class_weights):
            value += w * p[:, c]
        value += aux[0] * p.max(axis=1)
        if aux[1] != 0:  # the studio skips the entropy's C logarithms when its weight is 0
            value += aux[1] * entropy_confidence(p)
        for j in range(k):
            value += aux[2 + j] * previous_scores[:, j]
        return value
    return score


# --- The two kinds of scheduler file ---------------------------------------------------------------

class JsonScheduler:
    def __init__(self, path):
        with open(path) as f:
            s = json.load(f)
        if s.get("format") != "eenet-scheduler" or s.get("format_version") != 1:
            sys.exit(f"{path}: not an eenet-scheduler v1 file")
        self.name = s.get("policy", "?")
        self.num_exits, self.num_classes = s["num_exits"], s["num_classes"]
        self.thresholds = [float(e["threshold"]) for e in s["exits"]]  # float() reads "inf" / "-inf"
        kind = s.get("score", "eenet")
        scores = {"maxprob": max_prob, "entropy": entropy, "patience": patience, "agreement": agreement}
        self.score_of = eenet(s["exits"]) if kind == "eenet" else scores[kind]
        self.temperatures = [float(t) for t in s.get("temperatures", [])]  # absent or empty: none
        if self.temperatures and (len(self.temperatures) != self.num_exits or
                                  not all(math.isfinite(t) and t > 0 for t in self.temperatures)):
            sys.exit(f"{path}: temperatures must be {self.num_exits} positive finite numbers")

    def score(self, k, p, previous_scores, previous_predictions):
        if self.temperatures:
            p = temperature_scaled(p, self.temperatures[k])
        return self.score_of(k, p, previous_scores, previous_predictions)

    def threshold(self, k):
        return self.thresholds[k]


class TorchScriptScheduler:
    """A .pt written by EENet Studio: the same scores, as TorchScript methods (temperatures included)."""

    def __init__(self, path):
        import torch
        self.torch = torch
        self.module = torch.jit.load(path)
        self.name = f"{self.module.score_type} (TorchScript)"
        self.num_exits, self.num_classes = self.module.num_exits, self.module.num_classes

    def score(self, k, p, previous_scores, previous_predictions):
        t = self.torch.from_numpy
        return self.module.score(k, t(p), t(previous_scores), t(previous_predictions)).numpy()

    def threshold(self, k):
        return self.module.threshold(k)


# --- The runtime loop ------------------------------------------------------------------------------

def decide(scheduler, probs):
    """Exit and prediction of every sample; probs: float32 [K, N, C]."""
    num_exits, n, _ = probs.shape
    exits = np.empty(n, dtype=np.int64)
    predictions = np.empty(n, dtype=np.int64)
    running = np.arange(n)  # samples no exit has taken yet
    previous_scores = np.zeros((n, 0))
    previous_predictions = np.zeros((n, 0), dtype=np.int64)
    for k in range(num_exits):
        p = probs[k, running].astype(np.float64)  # a runtime computes exit k for these samples only
        predicted = p.argmax(axis=1)  # first max on ties; temperature scaling never changes it
        last = k == num_exits - 1
        if last:
            leave = np.ones(len(running), dtype=bool)
        else:
            scores = scheduler.score(k, p, previous_scores, previous_predictions)
            leave = scores >= scheduler.threshold(k)
        exits[running[leave]] = k
        predictions[running[leave]] = predicted[leave]
        stay = ~leave
        running = running[stay]
        if last or len(running) == 0:
            break
        previous_scores = np.column_stack([previous_scores[stay], scores[stay]])
        previous_predictions = np.column_stack([previous_predictions[stay], predicted[stay]])
    return exits, predictions


def read_split(path, split):
    """float32 probabilities [K, N, C] and labels of a split (docs/format.md), like the studio holds them."""
    with h5py.File(path, "r") as f:
        if split is None:
            split = "test" if "test/probs" in f or "test/logits" in f else "val"
        if f"{split}/probs" in f:
            probs = f[f"{split}/probs"][...].astype(np.float32)
        else:  # logits: a softmax like the studio's, in float64 then rounded to float32
            logits = f[f"{split}/logits"][...].astype(np.float32)
            e = np.exp(logits.astype(np.float64) - logits.max(axis=-1, keepdims=True))
            probs = (e / e.sum(axis=-1, keepdims=True)).astype(np.float32)
        return split, probs, f[f"{split}/labels"][...].astype(np.int64)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scheduler", help="SCHED.json or SCHED.pt")
    parser.add_argument("predictions", help="predictions file (HDF5, docs/format.md)")
    parser.add_argument("--split", choices=["val", "test"], help="default: test when the file has one")
    parser.add_argument("--out", help="decisions CSV (default: standard output)")
    args = parser.parse_args()

    pt = args.scheduler.endswith(".pt")
    scheduler = TorchScriptScheduler(args.scheduler) if pt else JsonScheduler(args.scheduler)
    split, probs, labels = read_split(args.predictions, args.split)
    shape = (scheduler.num_exits, scheduler.num_classes)
    if (probs.shape[0], probs.shape[2]) != shape:
        sys.exit(f"{args.scheduler}: the scheduler has (exits, classes) = {shape} but {args.predictions} "
                 f"has {(probs.shape[0], probs.shape[2])}")
    exits, predictions = decide(scheduler, probs)

    rows = (f"{i},{e},{p}\n" for i, (e, p) in enumerate(zip(exits, predictions)))
    csv = "index,exit,prediction\n" + "".join(rows)
    if args.out is None:
        sys.stdout.write(csv)
        return
    with open(args.out, "w") as f:
        f.write(csv)
    fractions = " ".join(f"{x:.3f}" for x in np.bincount(exits, minlength=scheduler.num_exits) / len(exits))
    print(f"applied {scheduler.name} to {args.predictions} ({split}): "
          f"accuracy {100 * np.mean(predictions == labels):.2f} %, exit fractions {fractions}")


if __name__ == "__main__":
    main()
