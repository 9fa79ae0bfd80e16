#!/usr/bin/env python3
"""Writes the fixtures of tst_clirun into DIR: a tiny scripted multi-exit model and the predictions file
it makes on its own stored inputs, plus the broken variants the tests expect `eenet-cli run` to refuse.

    make_exit_model.py DIR

model.pt        3 exits, 5 classes, on random 8 x 8 uint8 images (fixed seed): the model interface of
                docs/deploy.md, num_exits(), stage(k, x), head(k, h)
predictions.h5  format v1 with /val and /test probabilities of model.pt and their /inputs
no_inputs.h5    the same predictions without inputs
other.pt        the same architecture with other weights: its outputs disagree with predictions.h5
two_exits.pt    num_exits() is 2
no_head.pt      has num_exits() and stage() but no head()
"""
import sys

import h5py
import numpy as np
import torch

EXITS, CLASSES, SIDE, WIDTH = 3, 5, 8, 24


class TinyExitNet(torch.nn.Module):
    """Three linear blocks with a classifier head after each."""

    def __init__(self, seed: int, exits: int = EXITS):
        super().__init__()
        torch.manual_seed(seed)
        self.exits = exits
        self.blocks = torch.nn.ModuleList(
            torch.nn.Linear(SIDE * SIDE if k == 0 else WIDTH, WIDTH) for k in range(exits))
        self.heads = torch.nn.ModuleList(torch.nn.Linear(WIDTH, CLASSES) for _ in range(exits))
        # Wider than PyTorch's default initialisation, so that untrained exits still disagree and are
        # confident on some samples and not on others, as trained ones are.
        with torch.no_grad():
            for layer in list(self.blocks) + list(self.heads):
                layer.weight.normal_(0.0, 2.0 / layer.in_features ** 0.5)
                layer.bias.normal_(0.0, 0.1)

    @torch.jit.export
    def num_exits(self) -> int:
        return self.exits

    @torch.jit.export
    def stage(self, k: int, x: torch.Tensor) -> torch.Tensor:
        if k == 0:  # the stored uint8 images, as stored: the model scales them itself
            x = x.flatten(1).float() / 127.5 - 1.0
        for i, block in enumerate(self.blocks):
            if i == k:
                x = torch.relu(block(x))
        return x

    @torch.jit.export
    def head(self, k: int, h: torch.Tensor) -> torch.Tensor:
        out = h
        for i, head in enumerate(self.heads):
            if i == k:
                out = head(h)
        return out


class NoHead(torch.nn.Module):
    @torch.jit.export
    def num_exits(self) -> int:
        return 3

    @torch.jit.export
    def stage(self, k: int, x: torch.Tensor) -> torch.Tensor:
        return x.float()


def probabilities(model, images):
    """[K, N, C] float32 softmax of every exit, the whole split in one batch."""
    with torch.no_grad():
        h, out = torch.from_numpy(images), []
        for k in range(model.exits):
            h = model.stage(k, h)
            out.append(torch.softmax(model.head(k, h), dim=1))
        return torch.stack(out).numpy()


def write_file(path, model, images, labels, with_inputs):
    with h5py.File(path, "w") as f:
        f.attrs.update({"format": "eenet-predictions", "format_version": 1, "model": "tiny-exit-net",
                        "dataset": "random 8x8", "cost_unit": "MFLOPs"})
        f["exits/costs"] = np.array([0.004, 0.006, 0.008])
        for split in ("val", "test"):
            f[f"{split}/probs"] = probabilities(model, images[split])
            f[f"{split}/labels"] = labels[split]
            if with_inputs:
                f.create_dataset(f"{split}/inputs", data=images[split], chunks=(16, SIDE, SIDE),
                                 compression="gzip")


def main():
    out = sys.argv[1]
    rng = np.random.default_rng(7)
    images = {"val": rng.integers(0, 256, (300, SIDE, SIDE), dtype=np.uint8),
              "test": rng.integers(0, 256, (200, SIDE, SIDE), dtype=np.uint8)}
    model = TinyExitNet(seed=3).eval()
    # Labels mostly the last exit's prediction, so the exits differ in accuracy as a real model's do.
    labels = {}
    for split, x in images.items():
        predicted = probabilities(model, x)[-1].argmax(axis=1)
        noise = rng.integers(0, CLASSES, len(x))
        labels[split] = np.where(rng.random(len(x)) < 0.7, predicted, noise).astype(np.int64)
    write_file(f"{out}/predictions.h5", model, images, labels, with_inputs=True)
    write_file(f"{out}/no_inputs.h5", model, images, labels, with_inputs=False)
    torch.jit.script(model).save(f"{out}/model.pt")
    torch.jit.script(TinyExitNet(seed=4).eval()).save(f"{out}/other.pt")
    torch.jit.script(TinyExitNet(seed=3, exits=2).eval()).save(f"{out}/two_exits.pt")
    torch.jit.script(NoHead()).save(f"{out}/no_head.pt")


if __name__ == "__main__":
    main()
