"""Writes torch_state_dict.safetensors: a real PyTorch state dict, for SafeTensorsTorchGoldenTest.

Reproduce with:  python3 make_torch_state_dict.py   (Debian's python3-torch 1.13 was used)
Reverse check:   python3 make_torch_state_dict.py --check FILE   loads a state dict that kronet
                 wrote (e.g. with ModuleFiles.save) into the same Net with strict=True.

The safetensors package is not in Debian, so the file is written here by hand with struct and json,
following the format's spec: an unsigned little-endian 64-bit header length, a JSON header
name -> {dtype, shape, data_offsets}, then the raw little-endian bytes. The header keeps the
state_dict's order, and __metadata__ carries, for each tensor, the float64 sum of its values as
PyTorch computes it, so the Java test checks decoded values without hand-typed numbers.
"""

import json
import struct
from collections import OrderedDict

import torch
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(8)
        self.layer1 = nn.Sequential(
            nn.Conv2d(8, 8, 3, padding=1, groups=2), nn.BatchNorm2d(8)
        )
        self.fc = nn.Linear(128, 10)

    def forward(self, x):
        x = torch.relu(self.bn(self.stem(x)))
        x = torch.relu(self.layer1(x))
        return self.fc(x.flatten(1))


DTYPES = {torch.float32: "F32", torch.int64: "I64"}
NUMPY = {"F32": "<f4", "F64": "<f8", "I64": "<i8", "I32": "<i4"}


def write_safetensors(path, state, metadata):
    header = OrderedDict()
    header["__metadata__"] = metadata
    blobs = []
    offset = 0
    for name, t in state.items():
        data = t.detach().contiguous().numpy().tobytes()  # numpy writes native = little endian here
        header[name] = {
            "dtype": DTYPES[t.dtype],
            "shape": list(t.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    import numpy as np

    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n].decode("utf-8"))
    header.pop("__metadata__", None)
    state = OrderedDict()
    for name, info in header.items():
        begin, end = info["data_offsets"]
        data = np.frombuffer(raw[8 + n + begin : 8 + n + end], dtype=NUMPY[info["dtype"]])
        state[name] = torch.from_numpy(data.reshape(info["shape"]).copy())
    return state


def check(path):
    net = Net()
    print(net.load_state_dict(read_safetensors(path), strict=True))
    for name, t in net.state_dict().items():
        print(name, t.dtype, list(t.shape))


def main():
    assert struct.pack("=I", 1) == struct.pack("<I", 1), "needs a little-endian machine"
    torch.manual_seed(20261126)
    net = Net()
    net.train()
    for _ in range(2):  # two batches: non-trivial running stats, num_batches_tracked == 2
        net(torch.randn(4, 3, 4, 4))
    state = net.state_dict()
    metadata = OrderedDict()
    metadata["torch_version"] = torch.__version__
    for name, t in state.items():
        metadata["sum:" + name] = repr(t.double().sum().item())
    write_safetensors("torch_state_dict.safetensors", state, metadata)


if __name__ == "__main__":
    import sys

    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check(sys.argv[2])
    else:
        main()
