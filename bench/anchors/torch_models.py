"""Reference networks in PyTorch (Debian python3-torch) for kronet's benchmarks.

`resnet(depth, in_channels, kron=None)` is the CIFAR-style ResNet kronet's ModelZoo builds (16, 32
and 64 filters, a 1x1 convolution with batch norm on every shortcut that changes shape, global
average pool, linear head). With `kron=(rank, div)` every 3x3 convolution but the stem is a sum of
`rank` Kronecker products A (F/div x C/div x 3 x 3) (x) B (div x div x 1 x 1), computed without
rebuilding the weight: dev.kronet.bench.TrainThroughput's `kron-anchor`.

`kronecker_conv2d` is the paper's Algorithm 1 in PyTorch: the small B filters first, over each outer
input channel, then A as a grouped convolution (one group per term) dilated by B's kernel size and
strided as the full convolution, then the sum over the terms.
`/usr/bin/python3 bench/anchors/torch_models.py` checks it against conv2d with the rebuilt weight.
A reference for bench/perf.sh, not product code.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def kronecker_conv2d(x, a, b, stride=1, padding=0):
    """conv2d(x, sum_r kron(a[r], b[r])) for a [r, F1, C1, h1, w1] and b [r, F2, C2, h2, w2]."""
    terms, f1, c1, h1, w1 = a.shape
    _, f2, c2, h2, w2 = b.shape
    n = x.shape[0]
    x = F.pad(x, (padding,) * 4)
    # B stage: each outer input channel's C2 inner channels against all terms' F2 filters.
    u = F.conv2d(x.reshape(n * c1, c2, *x.shape[-2:]), b.reshape(terms * f2, c2, h2, w2))
    hu, wu = u.shape[-2:]
    # One image per (sample, inner filter); its channels are (term, outer input channel).
    u = u.reshape(n, c1, terms, f2, hu, wu).transpose(1, 3).reshape(n * f2, terms * c1, hu, wu)
    # A stage: a dilated, strided convolution per term, then the terms summed.
    v = F.conv2d(u, a.reshape(terms * f1, c1, h1, w1), stride=stride, dilation=(h2, w2), groups=terms)
    ho, wo = v.shape[-2:]
    v = v.reshape(n, f2, terms, f1, ho, wo).sum(2)
    return v.transpose(1, 2).reshape(n, f1 * f2, ho, wo)


class KroneckerConv2d(nn.Module):
    def __init__(self, cin, cout, stride, rank, div):
        super().__init__()
        self.stride = stride
        self.a = nn.Parameter(torch.randn(rank, cout // div, cin // div, 3, 3) * (2.0 / (9 * cin)) ** 0.5)
        self.b = nn.Parameter(torch.randn(rank, div, div, 1, 1) / rank ** 0.5)

    def forward(self, x):
        return kronecker_conv2d(x, self.a, self.b, self.stride, 1)


def conv3x3(cin, cout, stride, kron):
    if kron is None:
        return nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
    return KroneckerConv2d(cin, cout, stride, *kron)


class Residual(nn.Module):
    def __init__(self, cin, cout, stride, kron):
        super().__init__()
        self.conv1, self.bn1 = conv3x3(cin, cout, stride, kron), nn.BatchNorm2d(cout)
        self.conv2, self.bn2 = conv3x3(cout, cout, 1, kron), nn.BatchNorm2d(cout)
        self.shortcut = nn.Identity()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(y)) + self.shortcut(x))


def resnet(depth=20, in_channels=1, classes=10, kron=None):
    blocks_per_stage = (depth - 2) // 6
    layers = [nn.Conv2d(in_channels, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU()]
    cin = 16
    for stage, width in enumerate((16, 32, 64)):
        for i in range(blocks_per_stage):
            layers.append(Residual(cin, width, 2 if stage > 0 and i == 0 else 1, kron))
            cin = width
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, classes)]
    return nn.Sequential(*layers)


if __name__ == "__main__":
    torch.manual_seed(0)
    worst = 0.0
    # (A outer shape, B inner shape, terms, stride, padding): square, strided, non-square, even kernels
    for fa, fb, terms, stride, pad in [((4, 2, 3, 3), (4, 8, 1, 1), 3, 1, 1), ((2, 4, 1, 1), (8, 4, 3, 3), 2, 2, 1),
                                       ((3, 2, 1, 3), (2, 3, 3, 1), 4, 2, 1), ((2, 2, 2, 2), (3, 4, 2, 2), 2, 1, 0)]:
        a = torch.randn(terms, *fa, dtype=torch.float64)
        b = torch.randn(terms, *fb, dtype=torch.float64)
        x = torch.randn(2, fa[1] * fb[1], 12, 9, dtype=torch.float64)
        w = sum(torch.kron(a[r], b[r]) for r in range(terms))
        err = (kronecker_conv2d(x, a, b, stride, pad) - F.conv2d(x, w, stride=stride, padding=pad)).abs().max()
        worst = max(worst, float(err))
    print(f"kronecker_conv2d against conv2d with the rebuilt weight: max |difference| {worst:.2e}")
    assert worst < 1e-10, "kronecker_conv2d disagrees with the rebuilt convolution"
