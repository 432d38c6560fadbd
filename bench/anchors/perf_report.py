"""Turns the raw lines bench/perf.sh collects into the markdown tables of docs/PERFORMANCE.md.

Usage: /usr/bin/python3 bench/anchors/perf_report.py bench/target/perf/raw.txt
Every kronet figure sits next to its reference measured in the same run at the same vector width;
ratios are kronet / reference (above 1: kronet faster) for rates and kronet / reference times for
the per-layer table (below 1: kronet faster). Where a run was repeated (ROUNDS), the best is kept.
"""
import re
import sys
from collections import defaultdict

SHAPE_NAMES = {"16": "16 lanes, 32 registers (AVX-512)", "8": "8 lanes, 16 registers (AVX2)",
               "4": "4 lanes (NEON's width; SSE references on x86)"}


def fields(line):
    return dict(re.findall(r"(\w+)=([^\s]+)", line))


def ratio(a, b):
    return f"{a / b:.2f}" if a and b else "—"


def num(v, digits=1):
    return f"{v:.{digits}f}" if v else "—"


def main(path):
    head, flags = {}, {}
    peak = defaultdict(dict)                  # shape -> threads -> GFLOP/s
    sgemm = defaultdict(lambda: defaultdict(dict))  # shape -> size -> who -> GFLOP/s
    train = defaultdict(lambda: defaultdict(dict))  # shape -> (model, threads) -> who -> fields
    layers = defaultdict(lambda: defaultdict(dict))  # shape -> (kind, name) -> who -> (fwd, both, plan)
    for line in open(path):
        line = line.rstrip("\n")
        if line.startswith("@flags"):
            f = fields(line)
            flags[f["shape"]] = line.split(" ", 2)[2]
            continue
        m = re.match(r"@(machine|jdk|torch|date) (.*)", line)
        if m:
            head[m.group(1)] = m.group(2)
            continue
        m = re.match(r"@shape=(\d+) src=(\w+) (.*)", line)
        if not m:
            continue
        shape, who, rest = m.groups()
        f = fields(rest)
        if rest.startswith("fma_peak"):
            peak[shape][int(f["threads"])] = float(f["gflops"])
        elif " sgemm " in rest:
            sgemm[shape][f["size"]][who] = float(f["gflops"])
        elif "train_img_per_s" in f:
            model = "Kronecker ResNet-20" if "kron-resnet20" in rest else "ResNet-20"
            key = (model, int(f["threads"]))
            old = train[shape][key].get(who)
            new = {k: float(f[k]) for k in ("train_step_best", "train_step_median", "infer_img_per_s")}
            if old:
                new = {k: max(old[k], new[k]) for k in new}
            train[shape][key][who] = new
        else:
            lm = re.match(r"(conv2d|kron)\s+(\S+)\s+fwd\s+(.*?)\s+fwd\+bwd\s+(.*)", rest)
            if lm:
                kind, name, fwd, both = lm.groups()
                plan = re.search(r"plan (.*)$", rest)
                if who == "torch":  # best wall / median wall / best thread CPU: take the CPU time
                    fwd, both = fwd.split(" / ")[2], both.split(" / ")[2]
                else:
                    both = both.split()[0]
                layers[shape][(kind, name)][who] = (float(fwd), float(both), plan.group(1) if plan else "")

    print(f"Machine: {head.get('machine', '?')}; {head.get('jdk', '?')}; PyTorch {head.get('torch', '?')};"
          f" {head.get('date', '?')}.\n")
    for shape in sorted(flags, key=int, reverse=True):
        print(f"### {SHAPE_NAMES.get(shape, shape + ' lanes')}\n")
        print(f"`{flags[shape]}`; FMA peak " + ", ".join(
            f"{num(v)} GFLOP/s on {t} thread{'s' if t > 1 else ''}" for t, v in sorted(peak[shape].items())) + ".\n")
        one = peak[shape].get(1)
        if sgemm[shape]:
            print("| SGEMM, 1 thread (GFLOP/s) | kronet | OpenBLAS | kronet / OpenBLAS | kronet / FMA peak |")
            print("|---|---|---|---|---|")
            for size, w in sgemm[shape].items():
                k, o = w.get("kronet"), w.get("openblas")
                print(f"| {size} | {num(k)} | {num(o)} | {ratio(k, o)} | {ratio(k, one)} |")
            print()
        if train[shape]:
            print("| batch 128, 1×28×28 (img/s) | threads | kronet train (best / median step) |"
                  " PyTorch train | kronet / PyTorch | kronet infer | PyTorch infer | kronet / PyTorch |")
            print("|---|---|---|---|---|---|---|---|")
            for (model, t), w in sorted(train[shape].items()):
                k, p = w.get("kronet", {}), w.get("torch", {})
                print(f"| {model} | {t} | {num(k.get('train_step_best'))} / {num(k.get('train_step_median'))} |"
                      f" {num(p.get('train_step_best'))} / {num(p.get('train_step_median'))} |"
                      f" {ratio(k.get('train_step_best'), p.get('train_step_best'))} |"
                      f" {num(k.get('infer_img_per_s'))} | {num(p.get('infer_img_per_s'))} |"
                      f" {ratio(k.get('infer_img_per_s'), p.get('infer_img_per_s'))} |")
            print()
        if layers[shape]:
            print("| layer, 1 thread (ms, best thread CPU time of 20) | kronet plan (fwd / dx / dw) |"
                  " kronet fwd | PyTorch fwd | ratio | kronet fwd+bwd | PyTorch fwd+bwd | ratio |")
            print("|---|---|---|---|---|---|---|---|")
            for (kind, name), w in layers[shape].items():
                k, p = w.get("kronet"), w.get("torch")
                label = name if kind == "conv2d" else f"{name}, Kronecker (R̂ 3, B 4×4×1×1)"
                kf, kb, plan = k if k else (None, None, "")
                pf, pb, _ = p if p else (None, None, "")
                print(f"| {label} | {plan} | {num(kf, 2)} | {num(pf, 2)} | {ratio(kf, pf)} |"
                      f" {num(kb, 2)} | {num(pb, 2)} | {ratio(kb, pb)} |")
            print()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench/target/perf/raw.txt")
