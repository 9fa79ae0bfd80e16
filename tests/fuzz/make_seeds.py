#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpus (tests/fuzz/corpus/<target>/): small valid files and malformed ones.

Run once by hand when the formats change: /usr/bin/python3 tests/fuzz/make_seeds.py. The seeds are committed.
"""
import json
import pathlib

import h5py
import numpy as np

root = pathlib.Path(__file__).resolve().parent / "corpus"


def predictions(path, *, exits=3, samples=4, classes=3, test=True, logits=False, chunked=False, mutate=None,
                libver="earliest"):
    rng = np.random.default_rng(7)
    with h5py.File(path, "w", libver=libver) as f:
        f.attrs.update({"format": "eenet-predictions", "format_version": 1, "model": "m", "dataset": "d",
                        "cost_unit": "ms"})
        f["exits/costs"] = np.arange(1, exits + 1, dtype=np.float64)
        for split, n in (("val", samples), ("test", samples // 2 or 1)) if test else (("val", samples),):
            raw = rng.random((exits, n, classes)).astype(np.float32)
            data = raw if logits else raw / raw.sum(axis=-1, keepdims=True)
            name = f"{split}/logits" if logits else f"{split}/probs"
            if chunked:
                f.create_dataset(name, data=data, chunks=(1, 2, classes), compression="gzip", shuffle=True)
            else:
                f[name] = data
            f[f"{split}/labels"] = rng.integers(0, classes, n).astype(np.int32)
        if mutate:
            mutate(f)
    assert path.stat().st_size < 16384, path


def make_predictions():
    d = root / "predictions"
    d.mkdir(parents=True, exist_ok=True)
    predictions(d / "valid.h5")
    predictions(d / "valid_val_only.h5", test=False)
    # The newer object-header and group formats take other paths through HDF5 than h5py's default.
    predictions(d / "valid_latest_format.h5", test=False, libver="latest")
    predictions(d / "valid_logits.h5", logits=True, test=False)
    predictions(d / "valid_chunked_gzip.h5", chunked=True, test=False)

    def names(f):
        f.create_dataset("exits/names", data=["a", "b", "c"], dtype=h5py.string_dtype())
        f.create_dataset("classes/names", data=np.array([b"x", b"y", b"z"], dtype="S4"))
        f["exits/flops"] = np.array([1.0, 2.0, 3.0])
        f.attrs["description"] = "names, flops"
    predictions(d / "valid_names_flops.h5", mutate=names, test=False)

    def image_inputs(f):
        rng = np.random.default_rng(3)
        f.create_dataset("val/inputs", data=rng.integers(0, 256, (4, 3, 2, 3), dtype=np.uint8), chunks=(2, 3, 2, 3),
                         compression="gzip")
    predictions(d / "valid_inputs_images.h5", mutate=image_inputs, test=False)

    def text_inputs(f):
        f.create_dataset("val/inputs", data=["a", "", "é", "text"], dtype=h5py.string_dtype())
    predictions(d / "valid_inputs_text.h5", mutate=text_inputs, test=False)

    def bad_labels(f):
        f["val/labels"][0] = 99
    predictions(d / "bad_label.h5", mutate=bad_labels, test=False)

    def float16(f):
        data = f["val/probs"][()].astype(np.float16)
        del f["val/probs"]
        f["val/probs"] = data
    predictions(d / "valid_float16.h5", mutate=float16, test=False)

    def soft_link(f):
        del f["val/labels"]
        f["val/labels"] = h5py.SoftLink("/nowhere")
    predictions(d / "soft_link.h5", mutate=soft_link, test=False)

    def external_link(f):
        del f["val/probs"]
        f["val/probs"] = h5py.ExternalLink("other.h5", "/val/probs")
    predictions(d / "external_link.h5", mutate=external_link, test=False)
    make_cost_model_seeds(d)


def make_cost_model_seeds(d):
    """Cost models and serving costs (docs/format.md, "Cost models", "Serving costs")."""
    def cost_models(f):
        f["exits/flops"] = np.array([1.0, 2.0, 3.0])
        f["exits/flops"].attrs["unit"] = "GFLOPs"
        f["exits/extra_costs/phone_ms"] = np.array([2.0, 4.0, 8.0])
        f["exits/extra_costs/phone_ms"].attrs["unit"] = "ms"
        f["exits/batch_sizes"] = np.array([1, 4, 16], dtype=np.int32)
        f["exits/batch_costs"] = np.array([[1.0, 2.0, 5.0], [2.0, 3.0, 7.0], [4.0, 6.0, 9.0]])
        f["exits/batch_costs"].attrs["unit"] = "ms"
    predictions(d / "valid_cost_models.h5", mutate=cost_models, test=False)

    def bad_batch_costs(f):
        f["exits/batch_sizes"] = np.array([1, 4], dtype=np.int64)
        f["exits/batch_costs"] = np.array([[1.0, 2.0], [3.0, 1.0], [4.0, 6.0]])
    predictions(d / "bad_batch_costs.h5", mutate=bad_batch_costs, test=False)

    (d / "not_hdf5.h5").write_bytes(b"not an HDF5 file\n")
    valid = (d / "valid.h5").read_bytes()
    (d / "truncated.h5").write_bytes(valid[: len(valid) // 2])


def make_json(target, valid_objects):
    d = root / target
    d.mkdir(parents=True, exist_ok=True)
    for name, obj in valid_objects.items():
        (d / f"{name}.json").write_text(json.dumps(obj, indent=1))
    (d / "empty.json").write_text("")
    (d / "array.json").write_text("[1, 2, 3]")
    (d / "unterminated.json").write_text('{"format": "eenet-')


def scheduler(score="eenet", exits=2, classes=2):
    learned = score == "eenet"
    exit_list = []
    for k in range(exits):
        e = {"threshold": 0.5 if k < exits - 1 else "-inf", "cost": k + 1.0, "name": f"exit {k + 1}"}
        if learned:
            e["class_weights"] = [0.1] * classes
            e["aux_weights"] = [0.2] * (2 + k)
        exit_list.append(e)
    return {"format": "eenet-scheduler", "format_version": 1, "policy": score, "score": score,
            "num_exits": exits, "num_classes": classes, "features": ["probs"], "exits": exit_list,
            "costs": [k + 1.0 for k in range(exits)], "cost_unit": "ms", "budget": 1.5,
            "metrics": {"val": {"accuracy": 0.9}},
            "provenance": {"input_file": "x.h5", "input_sha256": "00", "seed": "1", "hyper_parameters": {},
                           "tool": "t", "created": "2026-01-01T00:00:00Z"}}


def make_schedulers():
    make_json("scheduler", {"valid_eenet": scheduler(), "valid_maxprob": scheduler("maxprob", 3, 4),
                            "valid_inf": {**scheduler("entropy"), "budget": "inf"}})


def make_sessions():
    fit = {"budget": 1.5, "train_seconds": 0.1, "exit_distribution": [0.5, 0.5], "scheduler": scheduler(),
           "history": [[1, 10, True, 0.1, 0.2, 0.3, 1.4]]}
    session = {"format": "eenet-session", "format_version": 1, "input_file": "x.h5", "input_sha256": "00",
               "budget": 1.5, "method": "eenet", "split": "val", "schedulers": [fit],
               "window": {"geometry": "AAAA", "state": "AAAA"}}
    custom = {**session, "method": "custom",
              "custom": {"base": "eenet", "scheduler_budget": 1.5, "thresholds": ["inf", "-inf"]}}
    make_json("session", {"valid": session, "valid_no_fits": {**session, "schedulers": [], "method": "maxprob"},
                          "valid_custom": custom})


make_predictions()
make_schedulers()
make_sessions()
