#!/usr/bin/env python3
"""Read an Infra.Services gradient store with numpy alone (no Infra code, no safetensors package).

    python3 read_store.py STORE            # a summary
    python3 read_store.py STORE --json     # every example gradient of the first shard, as JSON

A store is manifest.json + shards/shard-NNNNNN.safetensors (+ .metadata.arrow, read it with
pyarrow: pyarrow.ipc.open_file(path).read_all()). In each shard, example_gradients.<layer> is
[n, k_out * k_in] (row-major G^ per example) in the store dtype; int8 tensors have a
<name>.scales tensor (value = int8 * scale per row); token_offsets is [n + 1] int64.
"""
import json
import struct
import sys
from pathlib import Path

import numpy as np

NUMPY = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I8": np.int8, "I64": np.int64, "I32": np.int32, "U8": np.uint8}


def read_safetensors(path):
    """All tensors of a safetensors file as float32 (bf16 widened) or their integer type, memory-mapped."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + length)
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = data[begin:end]
        if info["dtype"] == "BF16":
            values = (raw.view(np.uint16).astype(np.uint32) << 16).view(np.float32)
        else:
            values = raw.view(NUMPY[info["dtype"]])
        tensors[name] = values.reshape(info["shape"])
    return tensors


def example_gradients(store, shard_name, layer_count):
    """Per layer, the decoded [n, k_out * k_in] float32 gradients of one shard."""
    tensors = read_safetensors(Path(store) / "shards" / (shard_name + ".safetensors"))
    layers = []
    for layer in range(layer_count):
        values = tensors[f"example_gradients.{layer}"].astype(np.float32)
        scales = tensors.get(f"example_gradients.{layer}.scales")
        if scales is not None:
            values = values * scales[:, None]
        layers.append(values)
    return layers


def main():
    store = Path(sys.argv[1])
    manifest = json.loads((store / "manifest.json").read_text())
    layers = manifest["layers"]
    shards = manifest["shards"]
    if "--json" in sys.argv:
        gradients = example_gradients(store, shards[0]["name"], len(layers))
        print(json.dumps([[g[row].tolist() for g in gradients] for row in range(shards[0]["examples"])]))
        return
    print(f"{sum(s['examples'] for s in shards)} examples in {len(shards)} shards, dtype {manifest['dtype']}, "
          f"{len(layers)} layers, model {manifest['model_fingerprint'][:12]}")


if __name__ == "__main__":
    main()
