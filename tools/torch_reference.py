#!/usr/bin/python3
"""Times Spotlight's methods in plain PyTorch autograd on the same TorchScript files: the outside
reference of BENCHMARKS.md (`./spotlight benchmark` runs it between its own measurements).

Captum is not installable here (no PyPI), so each method is written plainly in torch as Captum
and pytorch-grad-cam compute it (the same code as tools/export_fixtures.py, whose numbers the Java
tests match to 1e-4): saliency and gradient x input (one backward of the target logit), Grad-CAM
and Grad-CAM++ (features -> detached activation -> head, one backward), integrated gradients
(Gauss-Legendre nodes and weights from numpy, Captum's completeness delta from two forwards),
SmoothGrad (the mean gradient of noisy copies), layer integrated gradients on a text model's
embeddings, attention maps and rollout (one forward without a graph). Path and noise rows go
through the model in passes of at most `--chunk` rows, unpadded, as Captum's internal_batch_size
does; the floor is the same passes of forward+backward alone.

    /usr/bin/python3 tools/torch_reference.py --card models/fashion-cnn/model.json --chunk 16 --out ref.json

Prints one JSON object: per method, milliseconds per record batched (--batch records) and for one
record, and the floor of each; medians of --repeats timed runs after --warmup runs, one intra-op
thread unless --threads says otherwise.
"""
import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import reviews  # noqa: E402
from train_models import read_idx  # noqa: E402


def logits_of(out):
    return out[0] if isinstance(out, tuple) else out


class Model:
    """A card's TorchScript module as a function of what gradients are taken at: the image, or a
    text model's token embeddings (the ids ride along for the padding mask)."""

    def __init__(self, card_path: Path, n: int):
        self.card = json.loads(card_path.read_text())
        self.dir = card_path.parent
        self.module = torch.jit.load(str(self.dir / self.card["file"]))
        self.module.eval()
        self.text = self.card["input"]["kind"] == "text"
        self.classes = len(self.card["classes"])
        self.points, self.aux, self.targets = self.inputs(n)

    def inputs(self, n):
        card = self.card
        samples = card.get("samples") or {}
        gen = torch.Generator().manual_seed(0)
        if self.text:
            tok = json.loads((self.dir / card["input"]["tokenizer"]).read_text())
            lines = (self.dir / samples["texts"]).read_text().splitlines()
            rows = [json.loads(lines[i % len(lines)]) for i in range(n)]
            ids = torch.tensor([reviews.encode(r["text"], tok["vocab"], tok["max_length"]) for r in rows])
            with torch.no_grad():
                emb = self.module.embed(ids)
            return emb, ids, [min(int(r["label"]), self.classes - 1) for r in rows]
        shape = card["input"]["shape"]
        if "images" in samples:
            images = read_idx(self.dir / samples["images"])
            labels = read_idx(self.dir / samples["labels"])
            pre = card["input"]["preprocessing"]
            x = torch.from_numpy(images[[i % len(images) for i in range(n)]].astype(np.float32)) / 255.0
            x = ((x - pre["mean"][0]) / pre["std"][0]).reshape([n] + shape)
            return x, None, [min(int(labels[i % len(labels)]), self.classes - 1) for i in range(n)]
        return torch.randn([n] + shape, generator=gen), None, [i % self.classes for i in range(n)]

    def forward(self, points, aux):
        if self.text:
            return self.module.classify_embeddings(points, aux)
        return self.module(points)

    def take(self, k):
        return self.points[:k], None if self.aux is None else self.aux[:k], self.targets[:k]


def one_hot(targets, classes):
    seed = torch.zeros(len(targets), classes)
    seed[torch.arange(len(targets)), torch.tensor(targets)] = 1
    return seed


def gradient(m, x, aux, targets, with_logits=False):
    """d logit[target] / d x of every row, in one backward."""
    x = x.detach().requires_grad_(True)
    out = logits_of(m.forward(x, aux))
    out.backward(one_hot(targets, out.shape[1]))
    return (x.grad, out.detach()) if with_logits else x.grad


def in_passes(rows, chunk, fn):
    """fn over passes of at most chunk rows (the last one shorter, unpadded), results concatenated."""
    outs = [fn(i, min(rows, i + chunk)) for i in range(0, rows, chunk)]
    return torch.cat(outs) if outs and outs[0] is not None else None


# ---------------------------------------------------------------- the methods
def saliency(m, k, chunk, opts):
    x, aux, t = m.take(k)
    g = gradient(m, x, aux, t)
    return g.abs().amax(1) if g.dim() == 4 else g.norm(dim=-1)


def gradient_x_input(m, k, chunk, opts):
    x, aux, t = m.take(k)
    a = gradient(m, x, aux, t) * x
    return a.abs().amax(1) if a.dim() == 4 else a.sum(-1)


def cam(m, k, chunk, plus):
    x, _, t = m.take(k)
    a = m.module.features(x).detach().requires_grad_(True)
    out = m.module.head(a)
    out.backward(one_hot(t, out.shape[1]))
    a, g = a.detach(), a.grad
    if plus:
        g2, g3 = g ** 2, g ** 3
        aij = g2 / (2 * g2 + a.sum(dim=(2, 3), keepdim=True) * g3 + 1e-6)
        aij = torch.where(g != 0, aij, torch.zeros_like(aij))
        w = (torch.relu(g) * aij).sum(dim=(2, 3))
    else:
        w = g.mean(dim=(2, 3))
    cams = torch.relu((w[:, :, None, None] * a).sum(1))
    cams = cams - cams.amin(dim=(1, 2), keepdim=True)
    cams = cams / (1e-7 + cams.amax(dim=(1, 2), keepdim=True))
    return torch.nn.functional.interpolate(cams[:, None], size=x.shape[2:], mode="bilinear", align_corners=False)


def integrated_gradients(m, k, chunk, opts):
    """Gauss-Legendre IG from a zero baseline, path rows in passes of chunk; Captum's delta."""
    x, aux, t = m.take(k)
    n = opts.ig_steps
    nodes, weights = np.polynomial.legendre.leggauss(n)
    alphas = torch.tensor(0.5 * (1 + nodes), dtype=torch.float32)
    w = torch.tensor(0.5 * weights, dtype=torch.float32)
    base = torch.zeros_like(x)
    shape = [1, n] + [1] * (x.dim() - 1)
    path = (base[:, None] + alphas.view(shape) * (x - base)[:, None]).reshape((k * n,) + tuple(x.shape[1:]))
    rows_aux = None if aux is None else aux.repeat_interleave(n, 0)
    rows_t = [tt for tt in t for _ in range(n)]
    grads = in_passes(k * n, chunk, lambda i, j: gradient(m, path[i:j], None if rows_aux is None else rows_aux[i:j], rows_t[i:j]))
    attr = (grads.view((k, n) + tuple(x.shape[1:])) * w.view(shape)).sum(1) * (x - base)
    with torch.no_grad():
        fx = logits_of(m.forward(x, aux))[torch.arange(k), torch.tensor(t)]
        fb = logits_of(m.forward(base, aux))[torch.arange(k), torch.tensor(t)]
    delta = attr.reshape(k, -1).sum(1) - (fx - fb)
    return attr, delta


def smoothgrad(m, k, chunk, opts):
    x, aux, t = m.take(k)
    n = opts.samples
    gen = torch.Generator().manual_seed(1)
    noisy = (x[:, None] + 0.15 * torch.randn((k, n) + tuple(x.shape[1:]), generator=gen)).reshape((k * n,) + tuple(x.shape[1:]))
    rows_aux = None if aux is None else aux.repeat_interleave(n, 0)
    rows_t = [tt for tt in t for _ in range(n)]
    grads = in_passes(k * n, chunk, lambda i, j: gradient(m, noisy[i:j], None if rows_aux is None else rows_aux[i:j], rows_t[i:j]))
    return grads.view((k, n) + tuple(x.shape[1:])).mean(1)


def attention(m, k, chunk, opts, rollout=False):
    x, aux, _ = m.take(k)
    with torch.no_grad():
        attn = m.module(aux if m.text else x)[1]
    if not rollout:
        return attn[:, -1].mean(1)
    tokens = attn.shape[-1]
    result = torch.eye(tokens).expand(k, tokens, tokens)
    for layer in range(attn.shape[1]):
        a = 0.5 * attn[:, layer].mean(1) + 0.5 * torch.eye(tokens)
        result = (a / a.sum(-1, keepdim=True)) @ result
    return result


METHODS = {
    "saliency": (saliency, 1),
    "gradient-x-input": (gradient_x_input, 1),
    "grad-cam": (lambda m, k, c, o: cam(m, k, c, False), 1),
    "grad-cam-plus-plus": (lambda m, k, c, o: cam(m, k, c, True), 1),
    "integrated-gradients": (integrated_gradients, None),
    "layer-integrated-gradients": (integrated_gradients, None),
    "smoothgrad": (smoothgrad, None),
    "attention": (attention, 1),
    "attention-rollout": (lambda m, k, c, o: attention(m, k, c, o, rollout=True), 1),
}


def rows_per_record(method, opts):
    if method in ("integrated-gradients", "layer-integrated-gradients"):
        return opts.ig_steps + 2
    if method == "smoothgrad":
        return opts.samples
    return 1


def floor(m, method, k, chunk, opts):
    """The same rows in unpadded passes of at most chunk rows: forward+backward (forward alone for attention)."""
    rows = k * rows_per_record(method, opts)
    reps = (rows + len(m.targets) - 1) // len(m.targets)
    x = m.points.repeat_interleave(1, 0).repeat((reps,) + (1,) * (m.points.dim() - 1))[:rows]
    aux = None if m.aux is None else m.aux.repeat(reps, 1)[:rows]
    t = (m.targets * reps)[:rows]

    def one(i, j):
        if method in ("attention", "attention-rollout"):
            with torch.no_grad():
                m.module(aux[i:j] if m.text else x[i:j])
        elif method in ("grad-cam", "grad-cam-plus-plus"):
            a = m.module.features(x[i:j]).detach().requires_grad_(True)
            out = m.module.head(a)
            out.backward(one_hot(t[i:j], out.shape[1]))
        else:
            gradient(m, x[i:j], None if aux is None else aux[i:j], t[i:j])
        return None

    return lambda: in_passes(rows, chunk, one)


def median_ms(task, warmup, repeats):
    for _ in range(warmup):
        task()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        task()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--card", required=True, type=Path, help="the model card (model.json) beside the TorchScript file")
    p.add_argument("--methods", default="", help="comma-separated methods (default: the card's)")
    p.add_argument("--chunk", type=int, default=16, help="most rows per pass (Spotlight's chunk for the model)")
    p.add_argument("--batch", type=int, default=16, help="records explained together")
    p.add_argument("--repeats", type=int, default=11)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, default=1, help="torch intra-op threads")
    p.add_argument("--ig-steps", type=int, default=50)
    p.add_argument("--samples", type=int, default=50, help="SmoothGrad's noisy copies")
    p.add_argument("--out", type=Path, help="write the JSON here as well as to stdout")
    opts = p.parse_args()
    torch.set_num_threads(opts.threads)
    torch.set_num_interop_threads(1)
    m = Model(opts.card, opts.batch)
    methods = [s for s in opts.methods.split(",") if s] or m.card["methods"]
    result = {"model": "%s:%s" % (m.card["id"], m.card["version"]), "torch": torch.__version__, "threads": opts.threads,
              "chunk": opts.chunk, "batch": opts.batch, "repeats": opts.repeats, "methods": {}}
    for method in methods:
        fn = METHODS[method][0]
        batched = median_ms(lambda: fn(m, opts.batch, opts.chunk, opts), opts.warmup, opts.repeats)
        single = median_ms(lambda: fn(m, 1, opts.chunk, opts), opts.warmup, opts.repeats)
        floor_batched = median_ms(floor(m, method, opts.batch, opts.chunk, opts), opts.warmup, opts.repeats)
        floor_single = median_ms(floor(m, method, 1, opts.chunk, opts), opts.warmup, opts.repeats)
        result["methods"][method] = {"batched_ms_per_record": batched / opts.batch, "single_ms": single,
                                     "floor_batched_ms_per_record": floor_batched / opts.batch, "floor_single_ms": floor_single}
        print("%-28s batched %9.3f ms/record (floor %9.3f); single %9.3f ms (floor %9.3f)" % (
            method, batched / opts.batch, floor_batched / opts.batch, single, floor_single), file=sys.stderr)
    text = json.dumps(result, indent=1)
    if opts.out:
        opts.out.write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
