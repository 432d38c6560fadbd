#!/usr/bin/env python3
"""Generates nn_golden.json: reference values from PyTorch for kronet's neural-network ops.

Run from this directory with a PyTorch install (used: Debian's python3-torch 1.13):
    /usr/bin/python3 make_nn_golden.py
The Java tests (NnGoldenTest) read the JSON; kronet itself never depends on Python.
Every tensor is stored flat (row-major) in float32 values together with its shape.
"""
import json

import torch
import torch.nn.functional as F

torch.manual_seed(20261126)


def flat(t):
    return [float(v) for v in t.detach().to(torch.float32).reshape(-1).tolist()]


def entry(**tensors):
    out = {}
    for name, t in tensors.items():
        if isinstance(t, torch.Tensor):
            out[name] = flat(t)
            out[name + "Shape"] = list(t.shape)
        else:
            out[name] = t
    return out


golden = {}

# Activations on points that include every kink, upstream gradient g.
xs = torch.tensor([-7.0, -3.5, -3.0, -1.25, -0.5, 0.0, 0.5, 1.0, 2.75, 3.0, 3.5, 5.5, 6.0, 6.5])
for name, fn in [
    ("relu", F.relu),
    ("relu6", F.relu6),
    ("sigmoid", torch.sigmoid),
    ("hardswish", F.hardswish),
    ("leakyRelu", lambda v: F.leaky_relu(v, 0.01)),
]:
    x = xs.clone().requires_grad_(True)
    g = torch.linspace(-1.0, 1.0, xs.numel())
    y = fn(x)
    y.backward(g)
    golden[name] = entry(x=x, g=g, y=y, dx=x.grad)


def batch_norm_case(shape, training):
    x = torch.randn(*shape).requires_grad_(True)
    c = shape[1]
    w = (torch.rand(c) + 0.5).requires_grad_(True)
    b = torch.randn(c).requires_grad_(True)
    rm0 = torch.randn(c)
    rv0 = torch.rand(c) + 0.5
    rm, rv = rm0.clone(), rv0.clone()
    y = F.batch_norm(x, rm, rv, w, b, training=training, momentum=0.1, eps=1e-5)
    g = torch.randn(*shape)
    y.backward(g)
    return entry(
        x=x, weight=w, bias=b, runningMean=rm0, runningVar=rv0, g=g, y=y,
        runningMeanAfter=rm, runningVarAfter=rv, dx=x.grad, dweight=w.grad, dbias=b.grad,
        momentum=0.1, eps=1e-5)


golden["batchNormTrain4d"] = batch_norm_case((3, 2, 2, 3), True)
golden["batchNormTrain2d"] = batch_norm_case((5, 3), True)
golden["batchNormEval4d"] = batch_norm_case((2, 3, 2, 2), False)

x = torch.randn(4, 5).requires_grad_(True)
w = torch.randn(3, 5).requires_grad_(True)
b = torch.randn(3).requires_grad_(True)
y = F.linear(x, w, b)
g = torch.randn(4, 3)
y.backward(g)
golden["linear"] = entry(x=x, weight=w, bias=b, g=g, y=y, dx=x.grad, dweight=w.grad, dbias=b.grad)

x = (3 * torch.randn(3, 6)).requires_grad_(True)
y = F.log_softmax(x, dim=1)
g = torch.randn(3, 6)
y.backward(g)
golden["logSoftmax"] = entry(x=x, g=g, y=y, dx=x.grad)

for smoothing in (0.0, 0.1):
    logits = (2 * torch.randn(5, 4)).requires_grad_(True)
    targets = torch.tensor([0, 3, 1, 1, 2])
    loss = F.cross_entropy(logits, targets, label_smoothing=smoothing)
    loss.backward()
    golden["crossEntropy_%g" % smoothing] = entry(
        logits=logits, targets=targets.tolist(), labelSmoothing=smoothing,
        loss=float(loss), dlogits=logits.grad)

student = (2 * torch.randn(4, 5)).requires_grad_(True)
teacher = 2 * torch.randn(4, 5)
temperature = 4.0
loss = F.kl_div(
    F.log_softmax(student / temperature, dim=1),
    F.softmax(teacher / temperature, dim=1),
    reduction="batchmean") * temperature * temperature
loss.backward()
golden["klDivDistillation"] = entry(
    student=student, teacher=teacher, temperature=temperature, loss=float(loss),
    dstudent=student.grad)

a = torch.randn(3, 4).requires_grad_(True)
t = torch.randn(3, 4).requires_grad_(True)
loss = F.mse_loss(a, t)
loss.backward()
golden["mse"] = entry(x=a, y=t, loss=float(loss), dx=a.grad, dy=t.grad)

golden["_source"] = "make_nn_golden.py with torch " + torch.__version__

with open("nn_golden.json", "w") as f:
    json.dump(golden, f, indent=1, sort_keys=True)
    f.write("\n")
