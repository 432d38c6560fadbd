"""Anchor: PyTorch (Debian python3-torch, CPU) conv2d time per ResNet-20 layer, batch 128, 1x28x28 input.

Usage: /usr/bin/python3 bench/anchors/torch_conv_layers.py [threads] [repeats]
For each distinct conv of the ResNet-20 (the shapes of bench/.../ResNet20Conv.java) prints the best
and the median wall time and the best thread CPU time of `repeats` calls, in ms, of F.conv2d
forward and forward+backward (grads of input and weight, no bias), then the same for the 3x3 layers but the stem as Kronecker convs (kronecker_conv2d of
torch_models.py; A [3, F/4, C/4, 3, 3] x B [3, 4, 4, 1, 1], as its kron-anchor network).
A measurement script, not product code: compare with Conv2dBenchmark / KroneckerConvBenchmark.

Run it with glibc's mmap/trim thresholds raised, as docs/PERFORMANCE.md does:
    MALLOC_MMAP_THRESHOLD_=1000000000 MALLOC_TRIM_THRESHOLD_=1000000000 /usr/bin/python3 ... 1
Otherwise every multi-MB tensor is a fresh mmap whose first touch page-faults; on the measuring VM
that was ~4700 faults and ~65 ms of CPU time per 16x28x28 conv2d call (3.6 ms with the thresholds
raised), which measures the VM's page faults rather than the convolution. Java's heap is reused, so
kronet does not pay this.
"""
import os, sys, time, torch, torch.nn.functional as F
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_models import kronecker_conv2d

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 20
torch.set_num_threads(threads)
torch.manual_seed(42)
BATCH, RANK, DIV = 128, 3, 4
# name, in channels, out channels, kernel, stride, input side (padding kernel // 2)
LAYERS = [('stem', 1, 16, 3, 1, 28), ('c16', 16, 16, 3, 1, 28), ('c16to32s2', 16, 32, 3, 2, 28),
          ('c32', 32, 32, 3, 1, 14), ('c32to64s2', 32, 64, 3, 2, 14), ('c64', 64, 64, 3, 1, 7),
          ('sc16to32', 16, 32, 1, 2, 28), ('sc32to64', 32, 64, 1, 2, 14)]

def times_ms(fn):
    """Best and median wall time, and best thread CPU time, of `repeats` calls after 3 warm-up calls, in ms.

    With one thread the work runs on the calling thread, so its CPU time leaves out the time it waited
    for a core on a loaded machine (compare with dev.kronet.bench.ConvLayerCpuTimes)."""
    for _ in range(3):
        fn()
    ts, cpu = [], []
    for _ in range(repeats):
        c = time.thread_time(); t = time.perf_counter(); fn()
        ts.append((time.perf_counter() - t) * 1e3); cpu.append((time.thread_time() - c) * 1e3)
    ts.sort()
    return ts[0], ts[len(ts) // 2], min(cpu)

def measure(conv, params):
    y = conv()
    g = torch.randn_like(y)
    def fwd():
        with torch.no_grad():
            conv()
    def fwd_bwd():
        for p in params:
            p.grad = None
        conv().backward(g)
    return times_ms(fwd) + times_ms(fwd_bwd)

print(f"torch {torch.__version__} threads={threads} batch={BATCH} {repeats} calls, ms: best wall / median wall / best thread CPU")
for name, c, f, k, s, size in LAYERS:
    x = torch.randn(BATCH, c, size, size, requires_grad=True)
    w = torch.randn(f, c, k, k, requires_grad=True)
    t = measure(lambda: F.conv2d(x, w, stride=s, padding=k // 2), [x, w])
    print(f"conv2d {name:10s} fwd {t[0]:8.3f} / {t[1]:8.3f} / {t[2]:8.3f}  fwd+bwd {t[3]:8.3f} / {t[4]:8.3f} / {t[5]:8.3f}")
for name, c, f, k, s, size in LAYERS:
    if k != 3 or name == 'stem':
        continue
    x = torch.randn(BATCH, c, size, size, requires_grad=True)
    A = torch.randn(RANK, f // DIV, c // DIV, k, k, requires_grad=True)
    B = torch.randn(RANK, DIV, DIV, 1, 1, requires_grad=True)
    t = measure(lambda: kronecker_conv2d(x, A, B, s, k // 2), [x, A, B])
    print(f"kron   {name:10s} fwd {t[0]:8.3f} / {t[1]:8.3f} / {t[2]:8.3f}  fwd+bwd {t[3]:8.3f} / {t[4]:8.3f} / {t[5]:8.3f}")
