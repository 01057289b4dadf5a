#!/usr/bin/python3
"""Reference deletion and insertion curves and attention-gradient agreement, computed with PyTorch.

An oracle for Spotlight's explanation scores, independent of its Java code: each TorchScript file
is loaded with ``torch.jit.load``, the maps are computed here (Grad-CAM as pytorch-grad-cam,
integrated gradients as Captum: export_fixtures.py's functions), and every curve is built from
them as Petsiuk et al. (2018) describe deletion and insertion: the map's units (pixels, or the
words between [CLS] and [SEP]) in decreasing order of attribution (ties by position), step i of k
taking floor(i n / k) of the n units; a removed pixel takes the value of torchvision's Gaussian
blur of the image (kernel 51, sigma 50; every channel), a removed word becomes [PAD]. The target
probability is torch.softmax of the logits; the area is numpy's trapezoid rule over the fraction of
units taken. Agreement is scipy's Spearman correlation and the top-5 overlap of an attention map's
CLS row (patches, or words) and the absolute integrated-gradients map (summed per patch).

The Java test (CurveOracleTest) gives Spotlight these maps and must find the same curves.

    /usr/bin/python3 tools/export_faithfulness.py
"""
import json
import sys
from pathlib import Path

import numpy as np
import torch
from scipy.stats import spearmanr
from torchvision.transforms.functional import gaussian_blur

sys.path.insert(0, str(Path(__file__).resolve().parent))
import reviews  # noqa: E402
from export_fixtures import Floats, cams, integrated_gradients, logits_of, rollout, write  # noqa: E402
from train_models import read_idx, stamp, to_tensor  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
TEST_MODELS = ROOT / "engine" / "src" / "test" / "resources" / "models"
STEPS = 10
KERNEL, SIGMA = 51, 50.0
TOP_K = 5
RECORDS = 4


def order_of(values):
    """Units by decreasing attribution, ties by position."""
    return np.argsort(-np.asarray(values, dtype=np.float64), kind="stable")


def curves(forward, x, removed, units, order, target, steps=STEPS):
    """Deletion and insertion: rows of x with the first floor(i n / k) units of the order removed
    (deletion) or all but them removed (insertion); returns both with their fractions and areas.
    units: a [n, ...] boolean tensor, each unit's positions in x."""
    n = len(order)
    taken = [i * n // steps for i in range(steps + 1)]
    out = {}
    for name in ("deletion", "insertion"):
        rows = []
        for t in taken:
            first = torch.zeros(n, dtype=torch.bool)
            first[torch.from_numpy(order[:t].copy())] = True
            gone = first if name == "deletion" else ~first
            mask = units[gone].any(0) if gone.any() else torch.zeros_like(units[0])
            rows.append(torch.where(mask, removed, x))
        with torch.no_grad():
            p = torch.softmax(logits_of(forward(torch.stack(rows))), dim=1)[:, target].double().numpy()
        fractions = np.array(taken, dtype=np.float64) / n
        out[name] = {"fractions": fractions.tolist(), "probabilities": p.tolist(), "auc": float(np.trapz(p, fractions))}
    return out


def pixel_units(h, w):
    eye = torch.eye(h * w, dtype=torch.bool)
    return eye.view(h * w, 1, h, w)


def image_records(model_dir, card, watermarked=False):
    images = read_idx(model_dir / card["samples"]["images"])
    labels = read_idx(model_dir / card["samples"]["labels"])
    pre = card["input"]["preprocessing"]
    chosen = []
    for i in range(len(images)):
        if watermarked and labels[i] == card["watermark"]["class"]:
            continue
        chosen.append(i)
        if len(chosen) == RECORDS:
            break
    for i in chosen:
        raw = stamp(images[i:i + 1]) if watermarked else images[i:i + 1]
        yield i, to_tensor(raw, pre["mean"][0], pre["std"][0])


def image_case(module, card, index, x, methods):
    with torch.no_grad():
        out = module(x)
    target = int(logits_of(out)[0].argmax())
    maps = {}
    if "grad-cam" in methods:
        maps["grad-cam"] = torch.from_numpy(cams(module, x, target)["grad-cam"]["map"].a)
    if "integrated-gradients" in methods:
        attr, _ = integrated_gradients(module, x, torch.zeros_like(x), target, "gauss-legendre", 50)
        maps["integrated-gradients"] = attr[0].abs().sum(0)
    h, w = x.shape[-2:]
    removed = gaussian_blur(x, [KERNEL, KERNEL], [SIGMA, SIGMA])[0]
    units = pixel_units(h, w)
    case = {"sample": index, "input": Floats(x[0]), "target": target, "methods": {}}
    roll = None
    if "attention-rollout" in methods:
        roll = rollout(out[1][0])
        gh, gw = card["attention"]["patch_grid"]
        patches = roll[card["attention"]["cls_index"], 1:].reshape(gh, gw)
        maps["attention-rollout"] = torch.nn.functional.interpolate(patches[None, None], size=(h, w), mode="bilinear",
                                                                    align_corners=False)[0, 0]
        case["rollout"] = Floats(roll)
    for m, mp in maps.items():
        entry = {"map": Floats(mp)}
        entry.update(curves(module, x[0], removed, units, order_of(mp.flatten().numpy()), target))
        case["methods"][m] = entry
    if roll is not None and "integrated-gradients" in maps:
        gh, gw = card["attention"]["patch_grid"]
        att = roll[card["attention"]["cls_index"], 1:].numpy().astype(np.float64)
        grad = maps["integrated-gradients"].abs().reshape(gh, h // gh, gw, w // gw).sum((1, 3)).flatten().numpy().astype(np.float64)
        case["agreement"] = agreement("attention-rollout", att, "integrated-gradients", grad)
    return case


def agreement(a_name, a, g_name, g):
    k = min(TOP_K, len(a))
    top = lambda v: set(order_of(v)[:k].tolist())
    rho = spearmanr(a, g).correlation
    return {"attention": a_name, "gradient": g_name, "spearman": None if np.isnan(rho) else float(rho),
            "top_k_overlap": len(top(a) & top(g)) / k, "k": k, "units": len(a)}


def image_fixture(model_dir, name, methods, watermarked=False):
    card = json.loads((model_dir / "model.json").read_text())
    module = torch.jit.load(str(model_dir / card["file"]))
    sample_dir = MODELS / "fashion-cnn"
    sample_card = json.loads((sample_dir / "model.json").read_text())
    sample_card["watermark"] = card.get("watermark")
    cases = [image_case(module, card, i, x, methods) for i, x in image_records(sample_dir, sample_card, watermarked)]
    return {"model": name, "watermarked": watermarked, "cases": cases}


def text_fixture():
    model_dir = MODELS / "review-sentiment"
    card = json.loads((model_dir / "model.json").read_text())
    module = torch.jit.load(str(model_dir / card["file"]))
    tok = json.loads((model_dir / card["input"]["tokenizer"]).read_text())
    pad = tok["vocab"][tok["pad"]]
    texts = [json.loads(l)["text"] for l in (model_dir / card["samples"]["texts"]).read_text().splitlines()[:RECORDS]]
    cases = []
    for text in texts:
        ids = torch.tensor([reviews.encode(text, tok["vocab"], tok["max_length"])])
        length = int((ids[0] != pad).sum())
        words = length - 2
        with torch.no_grad():
            logits, attn = module(ids)
        target = int(logits[0].argmax())
        emb = module.embed(ids).detach()
        fn = lambda e: module.classify_embeddings(e, ids.expand(e.shape[0], -1))
        base = module.embed(torch.full_like(ids, pad)).detach()
        attr, _ = integrated_gradients(fn, emb, base, target, "gauss-legendre", 50)
        tokens = attr.sum(-1)[0]
        lig = tokens / tokens.norm()
        att = attn[0, -1].mean(0)[card["attention"]["cls_index"], :length]
        units = torch.zeros(words, tok["max_length"], dtype=torch.bool)
        for u in range(words):
            units[u, u + 1] = True
        case = {"text": text, "ids": ids[0].tolist(), "target": target, "methods": {}}
        for m, mp in (("layer-integrated-gradients", lig), ("attention", att)):
            entry = {"map": Floats(mp)}
            entry.update(curves(module, ids[0], torch.full_like(ids[0], pad), units, order_of(mp[1:length - 1].numpy()), target))
            case["methods"][m] = entry
        case["agreement"] = agreement("attention", att[1:length - 1].numpy().astype(np.float64),
                                      "layer-integrated-gradients", lig[1:length - 1].abs().numpy().astype(np.float64))
        cases.append(case)
    return {"model": "review-sentiment", "watermarked": False, "cases": cases}


def main():
    torch.set_num_threads(1)
    write("faithfulness", {
        "steps": STEPS, "removal": {"blur-kernel": KERNEL, "blur-sigma": SIGMA, "text": "pad"}, "top-k": TOP_K,
        "models": [
            image_fixture(MODELS / "fashion-cnn", "fashion-cnn", ["grad-cam", "integrated-gradients"]),
            image_fixture(TEST_MODELS / "fashion-cnn-random", "fashion-cnn-random", ["grad-cam", "integrated-gradients"]),
            image_fixture(MODELS / "fashion-cnn-shortcut", "fashion-cnn-shortcut", ["grad-cam", "integrated-gradients"], watermarked=True),
            image_fixture(MODELS / "fashion-vit", "fashion-vit", ["integrated-gradients", "attention-rollout"]),
            text_fixture(),
        ]})


if __name__ == "__main__":
    main()
