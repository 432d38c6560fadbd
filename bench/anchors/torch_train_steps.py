"""Anchor: PyTorch (Debian python3-torch, CPU) ResNet training step times, best and median.

Usage: /usr/bin/python3 bench/anchors/torch_train_steps.py [threads] [depth] [channels] [size]
The network, optimiser and batch (128) of /work/shared/anchors/torch_train_throughput.py; after its
3 warm-up and 10 timed steps (printed as its train_img_per_s), 10 more steps are timed one by one and
the best and the median step are printed as images/s, as dev.kronet.bench.TrainThroughput prints
train_step_best / train_step_median. On a shared machine another tenant slows some steps down; the
best and median steps are steadier to compare than the mean. A measurement script, not product code.
"""
import sys, time, torch, torch.nn.functional as F
sys.path.insert(0, '/work/shared/anchors')
from torch_train_throughput import ResNet

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
depth = int(sys.argv[2]) if len(sys.argv) > 2 else 20
chans = int(sys.argv[3]) if len(sys.argv) > 3 else 1
size = int(sys.argv[4]) if len(sys.argv) > 4 else 28
torch.set_num_threads(threads)
torch.manual_seed(0)
m = ResNet(depth, chans)
opt = torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True)
x = torch.randn(128, chans, size, size); y = torch.randint(0, 10, (128,))
def step():
    opt.zero_grad(); loss = F.cross_entropy(m(x), y); loss.backward(); opt.step()
for _ in range(3): step()
n = 10; t = time.perf_counter()
for _ in range(n): step()
train = 128 * n / (time.perf_counter() - t)
steps = []
for _ in range(n):
    t = time.perf_counter(); step(); steps.append(time.perf_counter() - t)
steps.sort()
print(f"torch {torch.__version__} threads={threads} resnet{depth} in={chans}x{size}x{size} "
      f"train_img_per_s={train:.1f} train_step_best={128 / steps[0]:.1f} train_step_median={128 / steps[n // 2]:.1f}")
