"""Writes the prediction caches the import tests read: python3 make_caches.py DIR.

Valid caches the way MSDNet's code and NumPy write them, and malformed ones, each damaged in one way. Prints one
JSON object: for each valid cache, the arrays it holds as float64 probabilities (softmax applied here to the
stored logits), so that a test can compare what the import wrote with the source.
"""
import collections
import io
import json
import os
import pickle
import sys
import zipfile

import numpy as np
import torch
import torch.serialization

K, N, C, M = 3, 6, 4, 5
FLOPS = [6.9e6, 1.4e7, 2.2e7]  # cumulative FLOPs, as MSDNet's measure_model counts them
SECONDS = [1.5, 2.5, 4.0]  # cumulative latency in ms
CLASSES = ["cat", "dog", "ship", "truck"]

out = sys.argv[1]
rng = np.random.default_rng(7)
expected = {}


def path(name):
    return os.path.join(out, name)


def logits(samples):
    # Centred away from [0, 1], so that they cannot pass for probabilities.
    return (rng.normal(size=(K, samples, C)) * 3).astype(np.float32)


def softmax(values):
    values = values.astype(np.float64)
    e = np.exp(values - values.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def labels(samples):
    return rng.integers(0, C, size=samples)


def expect(name, val_probs, val_labels, test_probs=None, test_labels=None, **extra):
    entry = {"val_probs": np.asarray(val_probs, np.float64).ravel().tolist(),
             "val_labels": np.asarray(val_labels).astype(int).tolist(), "samples": [K, len(val_labels), C]}
    if test_probs is not None:
        entry["test_probs"] = np.asarray(test_probs, np.float64).ravel().tolist()
        entry["test_labels"] = np.asarray(test_labels).astype(int).tolist()
    entry.update(extra)
    expected[name] = entry


def save_as_if_from_gpu(value, name):
    """torch.save as a GPU run writes it: every storage tagged 'cuda:0'."""
    original = torch.serialization.location_tag
    torch.serialization.location_tag = lambda storage: "cuda:0"
    try:
        torch.save(value, path(name))
    finally:
        torch.serialization.location_tag = original


def save_with_short_storage(name, labels_tensor):
    """A tensor declaring K x 10^6 x C values over a storage of 10: what a damaged file can claim."""
    storage = torch.arange(10, dtype=torch.float32)

    class Claim:
        def __reduce__(self):
            return (torch._utils._rebuild_tensor_v2,
                    (storage.storage(), 0, (K, 1000000, C), (1000000 * C, C, 1), False, collections.OrderedDict()))

    records = {}

    class Pickler(pickle.Pickler):
        """torch.save's own persistent ids, for the two storages here."""

        def persistent_id(self, obj):
            if not isinstance(obj, torch.storage.TypedStorage):
                return None
            key = str(len(records))
            records[key] = torch.tensor([], dtype=obj.dtype).set_(obj).numpy().tobytes()
            return ("storage", getattr(torch, obj.pickle_storage_type()), key, "cpu", obj.size())

    data = io.BytesIO()
    Pickler(data, protocol=2).dump((Claim(), labels_tensor))
    with torch.serialization._open_zipfile_writer(path(name)) as archive:
        archive.write_record("data.pkl", data.getvalue(), len(data.getvalue()))
        for key, raw in records.items():
            archive.write_record("data/" + key, raw, len(raw))


# --- Valid torch caches -----------------------------------------------------------------------------------
os.makedirs(path("msdnet-run"), exist_ok=True)
val_logits, test_logits = logits(N), logits(M)
val_labels, test_labels = labels(N), labels(M)
val_probs = torch.softmax(torch.from_numpy(val_logits), -1)
test_probs = torch.softmax(torch.from_numpy(test_logits), -1)
torch.save((val_probs, torch.from_numpy(val_labels), test_probs, torch.from_numpy(test_labels)),
           path("msdnet-run/logits_single.pth"))
expect("msdnet-run/logits_single.pth", val_probs.numpy(), val_labels, test_probs.numpy(), test_labels)
torch.save(FLOPS, path("msdnet-run/flops.pth"))
torch.save(torch.tensor(FLOPS, dtype=torch.float64), path("msdnet-run/flops_tensor.pth"))
torch.save([int(f) for f in FLOPS], path("msdnet-run/flops_ints.pth"))
with open(path("msdnet-run/seconds.csv"), "w") as f:
    f.write("".join(f"{s}\n" for s in SECONDS))
with open(path("msdnet-run/classes.txt"), "w") as f:
    f.write("\n".join(CLASSES) + "\n")

torch.save((torch.from_numpy(val_logits), torch.from_numpy(val_labels)), path("logits_val_only.pth"))
expect("logits_val_only.pth", softmax(val_logits), val_labels)

# float16 probabilities, and targets copied into a float tensor as some forks do.
half = val_probs.half()
torch.save((half, torch.from_numpy(val_labels).float(), test_probs.half(), torch.from_numpy(test_labels).float()),
           path("half_float_labels.pth"))
expect("half_float_labels.pth", half.float().numpy(), val_labels, test_probs.half().float().numpy(), test_labels)

# Predictions kept as a list of K [N, C] tensors; a 4-tuple whose test entries are None.
torch.save(([torch.from_numpy(val_logits[k]) for k in range(K)], torch.from_numpy(val_labels), None, None),
           path("exit_list.pth"))
expect("exit_list.pth", softmax(val_logits), val_labels)

save_as_if_from_gpu((val_probs, torch.from_numpy(val_labels)), "from_gpu.pth")
expect("from_gpu.pth", val_probs.numpy(), val_labels)

# --- Valid .npz caches ------------------------------------------------------------------------------------
np.savez(path("stored.npz"), val_probs=val_probs.numpy(), val_labels=val_labels, test_probs=test_probs.numpy(),
         test_labels=test_labels, costs=np.array(SECONDS), cost_unit="ms", flops=np.array(FLOPS))
expect("stored.npz", val_probs.numpy(), val_labels, test_probs.numpy(), test_labels)

half_logits = val_logits.astype(np.float16)
np.savez_compressed(path("compressed.npz"), val_logits=half_logits, val_labels=val_labels.astype(np.int32),
                    costs=np.array([1.0, 2.0, 3.0], np.float32), run_notes=np.arange(3))
expect("compressed.npz", softmax(half_logits.astype(np.float32)), val_labels)

# ZIP64 throughout (directory entries, end records), as NumPy writes archives over 4 GiB.
limit = zipfile.ZIP64_LIMIT
zipfile.ZIP64_LIMIT = 0
try:
    np.savez(path("zip64.npz"), val_logits=val_logits.astype(np.float64), val_labels=val_labels.astype(np.uint8),
             flops=np.array(FLOPS))
finally:
    zipfile.ZIP64_LIMIT = limit
expect("zip64.npz", softmax(val_logits), val_labels)

# .npy format versions 2 and 3 (4-byte header lengths), as NumPy writes arrays with huge headers.
with zipfile.ZipFile(path("npy_versions.npz"), "w", zipfile.ZIP_DEFLATED) as archive:
    for name, array, version in (("val_probs", val_probs.numpy(), (2, 0)), ("val_labels", val_labels, (3, 0)),
                                 ("costs", np.array(SECONDS), (1, 0))):
        with archive.open(name + ".npy", "w") as member:
            np.lib.format.write_array(member, array, version=version)
expect("npy_versions.npz", val_probs.numpy(), val_labels)

# --- Malformed caches: each damaged in one way ----------------------------------------------------------------
v, t = torch.from_numpy(val_logits), torch.from_numpy(val_labels)
torch.save((v[0], t), path("rank2.pth"))
torch.save((v, t[:-1]), path("n_mismatch.pth"))
torch.save(v, path("not_tuple.pth"))
torch.save((v, t, v), path("three_tuple.pth"))
torch.save((torch.rand(K, N, C), t), path("ambiguous.pth"))
torch.save((v, t), path("legacy.pth"), _use_new_zipfile_serialization=False)
torch.save((v, t.float() + 0.5), path("fractional_labels.pth"))
save_with_short_storage("short_storage.pth", t)
torch.save([6.9, 14.0, 22.0], path("flops_in_mflops.pth"))
torch.save("6.9e6, 1.4e7, 2.2e7", path("flops_string.pth"))

nan_probs = val_probs.numpy().copy()
nan_probs[0, 2, 1] = np.nan
np.savez(path("nan.npz"), val_probs=nan_probs, val_labels=val_labels, costs=np.array(SECONDS))
np.savez(path("fortran.npz"), val_probs=np.asfortranarray(val_probs.numpy()), val_labels=val_labels,
         costs=np.array(SECONDS))
np.savez(path("object.npz"), val_probs=val_probs.numpy(), val_labels=np.array([1, "a"] * 3, dtype=object),
         costs=np.array(SECONDS))
np.savez(path("big_endian.npz"), val_probs=val_probs.numpy().astype(">f4"), val_labels=val_labels,
         costs=np.array(SECONDS))
np.savez(path("both.npz"), val_probs=val_probs.numpy(), val_logits=val_logits, val_labels=val_labels,
         costs=np.array(SECONDS))
np.savez(path("logits_are_probs.npz"), val_logits=val_probs.numpy(), val_labels=val_labels,
         costs=np.array(SECONDS))
np.savez(path("label_range.npz"), val_probs=val_probs.numpy(), val_labels=np.full(N, 7), costs=np.array(SECONDS))
np.savez(path("test_exits.npz"), val_probs=val_probs.numpy(), val_labels=val_labels,
         test_probs=test_probs.numpy()[:2], test_labels=test_labels, costs=np.array(SECONDS))
np.savez(path("samples_first.npz"), val_probs=val_probs.numpy().transpose(1, 0, 2).copy(),
         val_labels=val_labels, costs=np.array(SECONDS))
np.savez(path("decreasing_costs.npz"), val_probs=val_probs.numpy(), val_labels=val_labels,
         costs=np.array([1.0, 3.0, 2.0]))
np.save(path("single.npy"), val_probs.numpy())
with open(path("compressed.npz"), "rb") as f:
    whole = f.read()
with open(path("truncated.npz"), "wb") as f:
    f.write(whole[: len(whole) // 2])
# One byte of val_logits' compressed data flipped: the directory is intact, the data is not.
with zipfile.ZipFile(path("compressed.npz")) as archive:
    info = archive.getinfo("val_logits.npy")
start = info.header_offset + 30 + len(info.filename) + len(info.extra)
with open(path("corrupt.npz"), "wb") as f:
    f.write(whole[: start + info.compress_size // 2] + bytes([whole[start + info.compress_size // 2] ^ 0xFF]) +
            whole[start + info.compress_size // 2 + 1:])
with open(path("msdnet-run/header.csv"), "w") as f:
    f.write("latency_ms\n1.5\n2.5\n4\n")
with open(path("msdnet-run/two_seconds.csv"), "w") as f:
    f.write("1.5\n2.5\n")
with open(path("msdnet-run/decreasing.csv"), "w") as f:
    f.write("1\n3\n2\n")
with open(path("msdnet-run/three_classes.txt"), "w") as f:
    f.write("cat\ndog\nship\n")

print(json.dumps({"flops_mflops": [f / 1e6 for f in FLOPS], "seconds": SECONDS, "classes": CLASSES,
                  "caches": expected}))
