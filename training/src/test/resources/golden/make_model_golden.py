"""Writes the model-zoo fixtures for ModelZooGoldenTest from PyTorch definitions of the same networks.

Reproduce with:  /usr/bin/python3 make_model_golden.py   (Debian's python3-torch 1.13 was used)
Reverse check:   /usr/bin/python3 make_model_golden.py --check FILE MODEL IN_CHANNELS NUM_CLASSES
                 loads a state dict that kronet wrote (ModuleFiles.save) into the PyTorch model
                 with strict=True.

Outputs, next to this script:
  model_golden.json            for each case (model name, in_channels, num_classes): the parameter
                               count, the ordered state_dict as [name, dtype, shape], and every
                               nn.Conv2d in module order with its constructor arguments; then, for
                               a few models with every tensor set by formula_fill (no weights file
                               needed), the outputs on a formula input in eval mode, in float32
                               and float64.
  resnet20_weights.safetensors the state dict of resnet20 (1 channel, 10 classes): PyTorch's default
                               init plus randomised BatchNorm affine parameters and running stats, so
                               that eval mode exercises every tensor.
  resnet20_io.safetensors      a fixed input [2, 1, 28, 28] and that network's outputs: eval mode in
                               float32 and in float64 (the reference the tolerance is measured
                               against), and train mode (batch statistics) in float32 and float64.

The definitions mirror dev.kronet.training.models: the CIFAR ResNet of anchors/
torch_train_throughput.py, generalised to kuangliu's pytorch-cifar ResNet-18/50 bodies, the
squeeze-excitation block of kuangliu's senet.py (fc1/fc2 as 1x1 convs with bias, registered after
the shortcut, hidden width max(1, C // 16)), and kuangliu's CIFAR MobileNetV2; all end in adaptive
average pooling to 1x1. safetensors is written by hand (struct + json) as in
engine/src/test/resources/golden/make_torch_state_dict.py: a little-endian u64 header length, a
JSON header name -> {dtype, shape, data_offsets} in state_dict order, then the raw bytes.
"""

import copy
import json
import struct
from collections import OrderedDict

import torch
import torch.nn.functional as F
from torch import nn


def conv(cin, cout, k, stride=1, groups=1, bias=False):
    return nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=bias)


def shortcut(cin, cout, stride):
    if stride == 1 and cin == cout:
        return nn.Sequential()
    return nn.Sequential(conv(cin, cout, 1, stride), nn.BatchNorm2d(cout))


def squeeze_excite(x, fc1, fc2):
    w = F.adaptive_avg_pool2d(x, 1)
    return x * torch.sigmoid(fc2(F.relu(fc1(w))))


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, cin, planes, stride, se):
        super().__init__()
        self.conv1 = conv(cin, planes, 3, stride)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = conv(planes, planes, 3)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = shortcut(cin, planes, stride)
        self.se = se
        if se:
            hidden = max(1, planes // 16)
            self.fc1 = conv(planes, hidden, 1, bias=True)
            self.fc2 = conv(hidden, planes, 1, bias=True)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.se:
            out = squeeze_excite(out, self.fc1, self.fc2)
        return F.relu(out + self.shortcut(x))


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, cin, planes, stride, se):
        super().__init__()
        out = 4 * planes
        self.conv1 = conv(cin, planes, 1)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = conv(planes, planes, 3, stride)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = conv(planes, out, 1)
        self.bn3 = nn.BatchNorm2d(out)
        self.shortcut = shortcut(cin, out, stride)
        self.se = se
        if se:
            hidden = max(1, out // 16)
            self.fc1 = conv(out, hidden, 1, bias=True)
            self.fc2 = conv(hidden, out, 1, bias=True)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = F.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        if self.se:
            out = squeeze_excite(out, self.fc1, self.fc2)
        return F.relu(out + self.shortcut(x))


class ResNet(nn.Module):
    def __init__(self, widths, blocks, block, se, cin, ncls):
        super().__init__()
        self.conv1 = conv(cin, widths[0], 3)
        self.bn1 = nn.BatchNorm2d(widths[0])
        c = widths[0]
        self.stages = []
        for i, (w, n) in enumerate(zip(widths, blocks)):
            layer = []
            for j in range(n):
                layer.append(block(c, w, 2 if (j == 0 and i > 0) else 1, se))
                c = w * block.expansion
            setattr(self, "layer%d" % (i + 1), nn.Sequential(*layer))
            self.stages.append("layer%d" % (i + 1))
        self.linear = nn.Linear(c, ncls)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        for name in self.stages:
            out = getattr(self, name)(out)
        return self.linear(F.adaptive_avg_pool2d(out, 1).flatten(1))


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, expansion, stride):
        super().__init__()
        planes = expansion * cin
        self.conv1 = conv(cin, planes, 1)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = conv(planes, planes, 3, stride, groups=planes)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = conv(planes, cout, 1)
        self.bn3 = nn.BatchNorm2d(cout)
        self.residual = stride == 1
        self.shortcut = shortcut(cin, cout, 1) if self.residual else nn.Sequential()

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = F.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return out + self.shortcut(x) if self.residual else out


class MobileNetV2(nn.Module):
    STAGES = [(1, 16, 1, 1), (6, 24, 2, 1), (6, 32, 3, 2), (6, 64, 4, 2),
              (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]

    def __init__(self, cin, ncls):
        super().__init__()
        self.conv1 = conv(cin, 32, 3)
        self.bn1 = nn.BatchNorm2d(32)
        blocks, c = [], 32
        for t, cout, n, s in self.STAGES:
            for j in range(n):
                blocks.append(InvertedResidual(c, cout, t, s if j == 0 else 1))
                c = cout
        self.layers = nn.Sequential(*blocks)
        self.conv2 = conv(320, 1280, 1)
        self.bn2 = nn.BatchNorm2d(1280)
        self.linear = nn.Linear(1280, ncls)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layers(out)
        out = F.relu(self.bn2(self.conv2(out)))
        return self.linear(F.adaptive_avg_pool2d(out, 1).flatten(1))


CIFAR = lambda n: ([16, 32, 64], [n, n, n])
R18 = ([64, 128, 256, 512], [2, 2, 2, 2])
R50 = ([64, 128, 256, 512], [3, 4, 6, 3])
MODELS = OrderedDict([
    ("resnet20", lambda c, k: ResNet(*CIFAR(3), BasicBlock, False, c, k)),
    ("resnet32", lambda c, k: ResNet(*CIFAR(5), BasicBlock, False, c, k)),
    ("resnet56", lambda c, k: ResNet(*CIFAR(9), BasicBlock, False, c, k)),
    ("resnet18", lambda c, k: ResNet(*R18, BasicBlock, False, c, k)),
    ("resnet50", lambda c, k: ResNet(*R50, Bottleneck, False, c, k)),
    ("mobilenetv2", lambda c, k: MobileNetV2(c, k)),
    ("se_resnet20", lambda c, k: ResNet(*CIFAR(3), BasicBlock, True, c, k)),
    ("se_resnet18", lambda c, k: ResNet(*R18, BasicBlock, True, c, k)),
    ("se_resnet50", lambda c, k: ResNet(*R50, Bottleneck, True, c, k)),
])
# Every model as for CIFAR-10, plus 1-channel inputs and other class counts for a few.
CASES = [(name, 3, 10) for name in MODELS] + [
    ("resnet20", 1, 10), ("se_resnet20", 1, 7), ("mobilenetv2", 1, 100), ("resnet18", 1, 2)]

DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}


def describe(name, cin, ncls):
    model = MODELS[name](cin, ncls)
    state = [[k, DTYPES[t.dtype], list(t.shape)] for k, t in model.state_dict().items()]
    convs = [[n, m.in_channels, m.out_channels, m.kernel_size[0], m.stride[0], m.padding[0],
              m.groups, m.bias is not None]
             for n, m in model.named_modules() if isinstance(m, nn.Conv2d)]
    params = sum(p.numel() for p in model.parameters())
    return name, cin, ncls, params, state, convs


def formula_fill(model):
    """Sets every float tensor of the state dict from a closed form the Java test evaluates too.

    Tensor number k (its position in the state dict), element i (row-major), in float64 then
    rounded to float32: running_var 1 + 0.5 sin(0.7 i + k); running_mean 0.1 sin(0.3 i + k); other
    1-d tensors (BatchNorm scale and every bias) 1 + 0.25 sin(0.9 i + k) when named weight, else
    0.1 sin(0.9 i + k); weights of 2 or more dimensions sin(1.3 i + 0.5 k) / sqrt(fan_in) with
    fan_in = numel / shape[0]. Counters are left alone.
    """
    with torch.no_grad():
        for k, (name, t) in enumerate(model.state_dict().items()):
            if not t.is_floating_point():
                continue
            i = torch.arange(t.numel(), dtype=torch.float64)
            if name.endswith("running_var"):
                v = 1 + 0.5 * torch.sin(0.7 * i + k)
            elif name.endswith("running_mean"):
                v = 0.1 * torch.sin(0.3 * i + k)
            elif t.dim() == 1:
                v = (1 + 0.25 * torch.sin(0.9 * i + k)) if name.endswith("weight") \
                    else 0.1 * torch.sin(0.9 * i + k)
            else:
                v = torch.sin(1.3 * i + 0.5 * k) / (t.numel() / t.shape[0]) ** 0.5
            t.copy_(v.reshape(t.shape).to(t.dtype))


# Forward checks with formula weights: (model, in_channels, num_classes, batch, size).
FORWARD_CASES = [("se_resnet20", 3, 10, 2, 12), ("mobilenetv2", 3, 10, 2, 12),
                 ("se_resnet50", 3, 10, 2, 8)]


def formula_forward(name, cin, ncls, batch, size):
    net = MODELS[name](cin, ncls)
    formula_fill(net)
    i = torch.arange(batch * cin * size * size, dtype=torch.float64)
    x = torch.sin(0.11 * i).reshape(batch, cin, size, size).float()
    # Eval mode only: train-mode BatchNorm over the few values per channel that these small inputs
    # leave in the last stages is ill-conditioned (float32 and float64 PyTorch disagree by up to
    # the logits' size), so it would test rounding, not semantics. resnet20_io covers train mode.
    out = OrderedDict()
    with torch.no_grad():
        for dtype, suffix in ((torch.float32, ""), (torch.float64, "_f64")):
            m = copy.deepcopy(net).to(dtype).eval()
            out["output_eval" + suffix] = m(x.to(dtype)).flatten().tolist()
    return out


def write_json(path):
    # One state-dict entry or conv per line keeps the fixture diffable.
    parts = ['{\n "torch_version": %s,\n "cases": [' % json.dumps(torch.__version__)]
    cases = []
    for name, cin, ncls in CASES:
        name, cin, ncls, params, state, convs = describe(name, cin, ncls)
        text = '  {"model": %s, "in_channels": %d, "num_classes": %d, "num_parameters": %d,\n' % (
            json.dumps(name), cin, ncls, params)
        text += '   "state_dict": [\n' + ",\n".join("    " + json.dumps(e) for e in state) + "],\n"
        text += '   "convs": [\n' + ",\n".join("    " + json.dumps(c) for c in convs) + "]}"
        cases.append(text)
    parts.append(",\n".join(cases))
    parts.append(' ],\n "formula_forward": [')
    forwards = []
    for name, cin, ncls, batch, size in FORWARD_CASES:
        text = '  {"model": %s, "in_channels": %d, "num_classes": %d, "batch": %d, "size": %d' % (
            json.dumps(name), cin, ncls, batch, size)
        for key, values in formula_forward(name, cin, ncls, batch, size).items():
            text += ',\n   "%s": %s' % (key, json.dumps(values))
        forwards.append(text + "}")
    parts.append(",\n".join(forwards))
    parts.append(" ]\n}\n")
    with open(path, "w") as f:
        f.write("\n".join(parts))


def write_safetensors(path, tensors, metadata):
    header = OrderedDict()
    header["__metadata__"] = metadata
    blobs, offset = [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().numpy().tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def write_resnet20_forward():
    torch.manual_seed(20261126)
    net = MODELS["resnet20"](1, 10)
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0.0, 0.2)
                m.running_mean.normal_(0.0, 0.2)
                m.running_var.uniform_(0.5, 2.0)
                m.num_batches_tracked.fill_(7)
    x = torch.randn(2, 1, 28, 28)
    outputs = OrderedDict([("input", x)])
    with torch.no_grad():
        for mode in ("eval", "train"):
            for dtype, suffix in ((torch.float32, ""), (torch.float64, "_f64")):
                m = copy.deepcopy(net).to(dtype)
                m.train(mode == "train")
                outputs["output_" + mode + suffix] = m(x.to(dtype))
    meta = OrderedDict([("torch_version", torch.__version__), ("model", "resnet20"),
                        ("in_channels", "1"), ("num_classes", "10")])
    write_safetensors("resnet20_weights.safetensors", net.state_dict(), meta)
    write_safetensors("resnet20_io.safetensors", outputs, meta)


def read_safetensors(path):
    import numpy as np

    numpy_types = {"F32": "<f4", "F64": "<f8", "I64": "<i8"}
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    header.pop("__metadata__", None)
    state = OrderedDict()
    for name, info in header.items():
        begin, end = info["data_offsets"]
        data = np.frombuffer(raw[8 + n + begin:8 + n + end], dtype=numpy_types[info["dtype"]])
        state[name] = torch.from_numpy(data.reshape(info["shape"]).copy())
    return state


def check(path, name, cin, ncls):
    model = MODELS[name](cin, ncls)
    print(model.load_state_dict(read_safetensors(path), strict=True))


def main():
    assert struct.pack("=I", 1) == struct.pack("<I", 1), "needs a little-endian machine"
    torch.set_num_threads(1)
    write_json("model_golden.json")
    write_resnet20_forward()


if __name__ == "__main__":
    import sys

    if len(sys.argv) == 6 and sys.argv[1] == "--check":
        check(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    else:
        main()
