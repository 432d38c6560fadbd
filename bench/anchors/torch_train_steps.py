"""Reference: PyTorch (Debian python3-torch, CPU) ResNet-20 training and inference images/s.

Usage: /usr/bin/python3 bench/anchors/torch_train_steps.py [threads] [resnet20 | kron-anchor] [rank] [div]
The networks of torch_models.py on 1x28x28 inputs, batch 128, SGD (lr 0.1, momentum 0.9, Nesterov,
weight decay 5e-4), measured as dev.kronet.bench.TrainThroughput measures kronet: warm-up steps,
10 timed steps (train_img_per_s), 10 more timed one by one (the best and the median step: on a
shared machine the steadier figures), then inference in eval mode without autograd. Prints one line
in TrainThroughput's format. Run it with glibc's mmap/trim thresholds raised
(MALLOC_MMAP_THRESHOLD_=1000000000 MALLOC_TRIM_THRESHOLD_=1000000000): otherwise every fresh
multi-MB tensor page-faults on first touch and the figure measures the VM, not PyTorch.
A reference for bench/perf.sh, not product code.
"""
import os, sys, time
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_models import resnet

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
model = sys.argv[2] if len(sys.argv) > 2 else "resnet20"
rank = int(sys.argv[3]) if len(sys.argv) > 3 else 3
div = int(sys.argv[4]) if len(sys.argv) > 4 else 4
BATCH, WARMUP, STEPS = 128, 5, 10
torch.set_num_threads(threads)
torch.manual_seed(0)
m = resnet(20, 1, 10, kron=(rank, div) if model == "kron-anchor" else None)
opt = torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True)
x = torch.randn(BATCH, 1, 28, 28)
y = torch.randint(0, 10, (BATCH,))


def step():
    opt.zero_grad()
    F.cross_entropy(m(x), y).backward()
    opt.step()


for _ in range(WARMUP):
    step()
t = time.perf_counter()
for _ in range(STEPS):
    step()
train = BATCH * STEPS / (time.perf_counter() - t)
steps = []
for _ in range(STEPS):
    t = time.perf_counter()
    step()
    steps.append(time.perf_counter() - t)
steps.sort()
m.eval()
with torch.no_grad():
    for _ in range(WARMUP):
        m(x)
    t = time.perf_counter()
    for _ in range(STEPS):
        m(x)
    infer = BATCH * STEPS / (time.perf_counter() - t)
label = f"kron-resnet20 rank={rank} div={div}" if model == "kron-anchor" else model
params = sum(p.numel() for p in m.parameters())
print(f"torch-{torch.__version__} {label} threads={threads} params={params} train_img_per_s={train:.1f} "
      f"train_step_best={BATCH / steps[0]:.1f} train_step_median={BATCH / steps[STEPS // 2]:.1f} "
      f"infer_img_per_s={infer:.1f}")
