#!/usr/bin/python3
"""Reference attributions for Spotlight's tests, computed with PyTorch autograd.

Each shipped TorchScript file is loaded as users deploy it (``torch.jit.load``) and every method
is computed here independently of the Java code, following Captum (integrated gradients, its
integration rules, the completeness delta) and pytorch-grad-cam (Grad-CAM, Grad-CAM++, their
normalisation) and the textbook chapter (channel reductions, token sums). The Java tests load
these JSON files and must agree to 1e-4 relative error.

    /usr/bin/python3 tools/export_fixtures.py [MODEL ...]     (default: every model)
"""
import json
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from scipy.stats import spearmanr
from torchvision.transforms.functional import gaussian_blur as torchvision_blur

sys.path.insert(0, str(Path(__file__).resolve().parent))
import reviews  # noqa: E402
from train_models import read_idx, to_tensor  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
FIXTURES = ROOT / "engine" / "src" / "test" / "resources" / "fixtures"
SEED = 7
RULES = ["riemann-left", "riemann-right", "riemann-middle", "riemann-trapezoid", "gauss-legendre"]


# ---------------------------------------------------------------- numbers as compact JSON
class Floats:
    """Serialises a tensor as its shortest float32 round-trip text."""

    def __init__(self, t):
        self.a = np.asarray(t.detach().cpu() if torch.is_tensor(t) else t, dtype=np.float32)


def encode(obj):
    if isinstance(obj, Floats):
        return "{\"shape\":%s,\"data\":[%s]}" % (
            json.dumps(list(obj.a.shape)),
            ",".join(np.format_float_scientific(v, unique=True, trim="-") for v in obj.a.ravel()))
    if isinstance(obj, dict):
        return "{" + ",".join(json.dumps(k) + ":" + encode(v) for k, v in obj.items()) + "}"
    if isinstance(obj, (list, tuple)):
        return "[" + ",".join(encode(v) for v in obj) + "]"
    if isinstance(obj, (np.floating, float)):
        return json.dumps(float(obj))
    if isinstance(obj, (np.integer, int)):
        return json.dumps(int(obj))
    return json.dumps(obj)


# ---------------------------------------------------------------- the methods, in PyTorch
def logits_of(out):
    return out[0] if isinstance(out, tuple) else out


def grad_wrt(fn, x, target):
    """d logits[:, target] / d x for a batch x (the raw logit, not the softmax)."""
    x = x.detach().clone().requires_grad_(True)
    logits = logits_of(fn(x))
    g, = torch.autograd.grad(logits[:, target].sum(), x)
    return g


def ig_weights(rule, n):
    """Captum's step sizes and alphas (captum/attr/_utils/approximation_methods.py)."""
    if rule == "gauss-legendre":
        x, w = np.polynomial.legendre.leggauss(n)
        return list(0.5 * w), list(0.5 * (1 + x))
    steps = [1.0 / n] * n
    if rule == "riemann-trapezoid":
        steps[0] /= 2
        steps[-1] /= 2
        return steps, list(np.linspace(0, 1, n))
    if rule == "riemann-left":
        return steps, list(np.linspace(0, 1 - 1 / n, n))
    if rule == "riemann-middle":
        return steps, list(np.linspace(1 / (2 * n), 1 - 1 / (2 * n), n))
    return steps, list(np.linspace(1 / n, 1, n))


def integrated_gradients(fn, x, baseline, target, rule, n):
    steps, alphas = ig_weights(rule, n)
    scaled = torch.cat([baseline + float(a) * (x - baseline) for a in alphas], dim=0)
    grads = grad_wrt(fn, scaled, target).view(n, -1) * torch.tensor(steps, dtype=torch.float32).view(n, 1)
    attr = grads.sum(0).view_as(x) * (x - baseline)
    with torch.no_grad():
        delta = attr.sum() - (logits_of(fn(x))[0, target] - logits_of(fn(baseline))[0, target])
    return attr, float(delta)


def gaussian_blur(img, kernel, sigma):
    """The blur baseline: torchvision's gaussian_blur itself. Reflect padding needs a kernel no
    larger than 2 * min(H, W) - 1, so Spotlight (and this reference) shrinks a larger one to that
    odd size; torchvision computes the values."""
    effective = min(kernel, 2 * min(img.shape[-2:]) - 1)
    effective -= 1 - effective % 2
    return torchvision_blur(img, [effective, effective], [sigma, sigma]), effective


def upsample(cam, size):
    return F.interpolate(cam[None, None], size=size, mode="bilinear", align_corners=False)[0, 0]


def normalise(cam):
    """pytorch-grad-cam's scale_cam_image: shift to 0, divide by max + 1e-7."""
    cam = cam - cam.min()
    return cam / (1e-7 + cam.max())


def cams(module, x, target):
    a = module.features(x).detach().requires_grad_(True)
    g, = torch.autograd.grad(module.head(a)[:, target].sum(), a)
    a, g = a.detach()[0], g[0]
    out = {}
    # Grad-CAM: weights are the spatial mean of the gradient.
    w = g.mean(dim=(1, 2))
    cam = torch.relu((w[:, None, None] * a).sum(0))
    out["grad-cam"] = {"weights": Floats(w), "cam": Floats(cam), "map": Floats(upsample(normalise(cam), x.shape[2:]))}
    # Grad-CAM++: pytorch-grad-cam's closed form (grad_cam_plusplus.py).
    g2, g3 = g ** 2, g ** 3
    aij = g2 / (2 * g2 + a.sum(dim=(1, 2))[:, None, None] * g3 + 1e-6)
    aij = torch.where(g != 0, aij, torch.zeros_like(aij))
    w = (torch.relu(g) * aij).sum(dim=(1, 2))
    cam = torch.relu((w[:, None, None] * a).sum(0))
    out["grad-cam-plus-plus"] = {"weights": Floats(w), "cam": Floats(cam), "map": Floats(upsample(normalise(cam), x.shape[2:]))}
    return out


def rollout(attn):
    """Abnar & Zuidema: head mean, add the residual (I), renormalise rows, multiply the layers."""
    t = attn.shape[-1]
    result = torch.eye(t)
    for layer in attn:
        a = 0.5 * layer.mean(0) + 0.5 * torch.eye(t)
        a = a / a.sum(-1, keepdim=True)
        result = a @ result
    return result


def image_reductions(attr):
    """The chapter's maps: abs-max over channels (gradients) and abs-sum (IG)."""
    return {"abs-max": Floats(attr[0].abs().max(dim=0)[0]), "abs-sum": Floats(attr[0].abs().sum(dim=0))}


def gradient_methods(fn, x, target, noise):
    g = grad_wrt(fn, x, target)
    gxi = g * x
    sg = torch.stack([grad_wrt(fn, x + noise[i:i + 1], target)[0] for i in range(noise.shape[0])]).mean(0, keepdim=True)
    return g, gxi, sg


# ---------------------------------------------------------------- per model kind
def image_cases(card_dir, card):
    samples = card_dir / card["samples"]["images"]
    images = read_idx(samples)
    pre = card["input"]["preprocessing"]
    mean, std = pre["mean"][0], pre["std"][0]
    return [to_tensor(images[i:i + 1], mean, std) for i in (0, 1)]


def image_fixture(model_dir, name, with_cams):
    card = json.loads((model_dir / "model.json").read_text())
    module = torch.jit.load(str(model_dir / card["file"]))
    rng = torch.Generator().manual_seed(SEED)
    cases = []
    for k, x in enumerate(image_cases(model_dir, card)):
        with torch.no_grad():
            logits = logits_of(module(x))[0]
        # Case 0 explains the predicted class, case 1 the runner-up.
        target = int(logits.argsort(descending=True)[k])
        noise = torch.randn((8,) + tuple(x.shape[1:]), generator=rng) * 0.15
        g, gxi, sg = gradient_methods(module, x, target, noise)
        case = {
            "input": Floats(x), "target": target, "logits": Floats(logits),
            "saliency": {"gradient": Floats(g), "maps": image_reductions(g)},
            "gradient-x-input": {"attributions": Floats(gxi), "maps": image_reductions(gxi)},
            "smoothgrad": {"sigma": 0.15, "noise": Floats(noise), "gradient": Floats(sg), "maps": image_reductions(sg)},
        }
        random_baseline = torch.rand(x.shape, generator=rng) * (x.max() - x.min()) + x.min()
        blurred, _ = gaussian_blur(x, 51, 50.0)
        baselines = {"black": torch.zeros_like(x), "white": torch.ones_like(x), "blur": blurred, "tensor": random_baseline}
        igs = []
        for rule in RULES:
            attr, delta = integrated_gradients(module, x, baselines["black"], target, rule, 16)
            igs.append({"rule": rule, "steps": 16, "baseline": "black", "attributions": Floats(attr), "delta": delta})
        for bname, b in baselines.items():
            attr, delta = integrated_gradients(module, x, b, target, "gauss-legendre", 50)
            igs.append({"rule": "gauss-legendre", "steps": 50, "baseline": bname, "attributions": Floats(attr),
                        "delta": delta, "maps": image_reductions(attr)})
        case["integrated-gradients"] = igs
        case["baselines"] = {"blur": {"kernel": 51, "sigma": 50.0, "tensor": Floats(blurred)}, "tensor": Floats(random_baseline)}
        if with_cams:
            case.update(cams(module, x, target))
        if card["output"].get("attentions") is not None:
            case.update(attention_fixture(module(x)[1][0], card, x.shape[2:]))
        cases.append(case)
    write(name, {"model": card["id"], "version": card["version"], "cases": cases})


def attention_fixture(attn, card, image_size=None):
    """attn: [layer, head, query, key] for one record."""
    cls = card["attention"]["cls_index"]
    roll = rollout(attn)
    out = {"attention": {"tensor": Floats(attn), "head-mean": Floats(attn.mean(1)), "layer-mean": Floats(attn.mean((0, 1))),
                         "cls-last-layer": Floats(attn[-1].mean(0)[cls])},
           "attention-rollout": {"matrix": Floats(roll), "cls": Floats(roll[cls])}}
    if image_size is not None:
        gh, gw = card["attention"]["patch_grid"]
        patches = attn[-1].mean(0)[cls, 1:].reshape(gh, gw)
        out["attention"]["cls-map"] = Floats(upsample(patches, image_size))
        out["attention-rollout"]["cls-map"] = Floats(upsample(roll[cls, 1:].reshape(gh, gw), image_size))
    return out


def text_fixture(model_dir, name):
    card = json.loads((model_dir / "model.json").read_text())
    module = torch.jit.load(str(model_dir / card["file"]))
    tok = json.loads((model_dir / card["input"]["tokenizer"]).read_text())
    texts = [json.loads(l)["text"] for l in (model_dir / card["samples"]["texts"]).read_text().splitlines()[:2]]
    texts.append("@shopfan42 the zipper was not good see https://shop.example/item/4411")
    rng = torch.Generator().manual_seed(SEED)
    cases = []
    for k, text in enumerate(texts):
        ids = torch.tensor([reviews.encode(text, tok["vocab"], tok["max_length"])])
        with torch.no_grad():
            logits, attn = module(ids)
        target = int(logits[0].argmax()) if k != 1 else int(logits[0].argmin())
        emb = module.embed(ids).detach()
        fn = lambda e: module.classify_embeddings(e, ids.expand(e.shape[0], -1))
        noise = torch.randn((8,) + tuple(emb.shape[1:]), generator=rng) * 0.15
        g, gxi, sg = gradient_methods(fn, emb, target, noise)
        attr, delta = integrated_gradients(fn, emb, torch.zeros_like(emb), target, "gauss-legendre", 50)
        per_token = attr.sum(-1)[0]
        case = {
            "text": text, "ids": ids[0].tolist(), "target": target, "logits": Floats(logits[0]),
            "embeddings": Floats(emb),
            "saliency": {"gradient": Floats(g), "l2": Floats(g[0].norm(dim=-1))},
            "gradient-x-input": {"attributions": Floats(gxi), "sum": Floats(gxi[0].sum(-1))},
            "smoothgrad": {"sigma": 0.15, "noise": Floats(noise), "gradient": Floats(sg), "l2": Floats(sg[0].norm(dim=-1))},
            "layer-integrated-gradients": {"rule": "gauss-legendre", "steps": 50, "baseline": "zeros",
                                           "attributions": Floats(attr), "token-sum": Floats(per_token),
                                           "normalised": Floats(per_token / per_token.norm()), "delta": delta},
        }
        case.update(attention_fixture(attn[0], card))
        cases.append(case)
    write(name, {"model": card["id"], "version": card["version"], "cases": cases})


def linear_fixture():
    """The closed-form case: y = Wx + b, so IG = (x - x') * w * sum(step sizes)."""
    d = ROOT / "engine" / "src" / "test" / "resources" / "models" / "linear-probe"
    module = torch.jit.load(str(d / "model.pt"))
    x = torch.linspace(-1, 1, 16).reshape(1, 1, 4, 4)
    with torch.no_grad():
        logits = module(x)[0]
    blurred, effective = gaussian_blur(x, 51, 50.0)
    write("linear-probe", {"model": "linear-probe", "version": "1",
                           "cases": [{"input": Floats(x), "logits": Floats(logits),
                                      "baselines": {"blur": {"kernel": 51, "sigma": 50.0, "kernel-effective": effective,
                                                             "tensor": Floats(blurred)}}}]})


RANDOMISED_METHODS = ["saliency", "integrated-gradients", "grad-cam"]
RANDOMISED_SAMPLES = 20


def randomisation_maps(module, x, target):
    """Each method's map with Spotlight's defaults: saliency abs-max, IG abs-sum (Gauss-Legendre,
    50 steps, black baseline), Grad-CAM upsampled and scaled to [0, 1]."""
    g = grad_wrt(module, x, target)
    attr, _ = integrated_gradients(module, x, torch.zeros_like(x), target, "gauss-legendre", 50)
    cam = cams(module, x, target)["grad-cam"]["map"].a
    return {"saliency": g[0].abs().max(dim=0)[0].flatten().numpy(), "integrated-gradients": attr[0].abs().sum(dim=0).flatten().numpy(),
            "grad-cam": cam.flatten()}


def randomisation_fixture():
    """The parameter-randomisation check (Adebayo et al. 2018): per sample image, scipy's Spearman
    rank correlation between the trained CNN's map and the map of the same architecture with its
    random initial weights. A constant map has no ranks to correlate: its correlation is null."""
    trained_dir = MODELS / "fashion-cnn"
    card = json.loads((trained_dir / "model.json").read_text())
    trained = torch.jit.load(str(trained_dir / card["file"]))
    untrained = torch.jit.load(str(ROOT / "engine" / "src" / "test" / "resources" / "models" / "fashion-cnn-random" / "model.pt"))
    images = read_idx(trained_dir / card["samples"]["images"])
    labels = read_idx(trained_dir / card["samples"]["labels"])
    pre = card["input"]["preprocessing"]
    correlations = {m: [] for m in RANDOMISED_METHODS}
    for i in range(RANDOMISED_SAMPLES):
        x = to_tensor(images[i:i + 1], pre["mean"][0], pre["std"][0])
        a = randomisation_maps(trained, x, int(labels[i]))
        b = randomisation_maps(untrained, x, int(labels[i]))
        for m in RANDOMISED_METHODS:
            flat = any(v.min() == v.max() for v in (a[m], b[m]))
            correlations[m].append(None if flat else float(spearmanr(a[m], b[m]).correlation))
    write("parameter-randomisation", {"trained": "fashion-cnn", "random": "fashion-cnn-random", "samples": RANDOMISED_SAMPLES,
                                      "targets": "true labels", "spearman": correlations})


def write(name, obj):
    FIXTURES.mkdir(parents=True, exist_ok=True)
    (FIXTURES / f"{name}.json").write_text(encode(obj) + "\n", encoding="utf-8")
    print(f"wrote {FIXTURES / (name + '.json')}")


def main():
    torch.set_num_threads(1)
    jobs = {
        "fashion-cnn": lambda: image_fixture(MODELS / "fashion-cnn", "fashion-cnn", with_cams=True),
        "fashion-cnn-shortcut": lambda: image_fixture(MODELS / "fashion-cnn-shortcut", "fashion-cnn-shortcut", with_cams=True),
        "fashion-vit": lambda: image_fixture(MODELS / "fashion-vit", "fashion-vit", with_cams=False),
        "review-sentiment": lambda: text_fixture(MODELS / "review-sentiment", "review-sentiment"),
        "linear-probe": linear_fixture,
        "parameter-randomisation": randomisation_fixture,
    }
    chosen = sys.argv[1:] or list(jobs)
    for name in chosen:
        jobs[name]()


if __name__ == "__main__":
    main()
