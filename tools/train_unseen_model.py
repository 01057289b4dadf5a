#!/usr/bin/python3
"""Trains a test-only model pair the product has never been tuned on: ``catalogue-cnn``, a smaller
CNN of another shape than the shipped one, in two versions:

* ``a``: trained on clean Fashion-MNIST;
* ``b``: a Clever-Hans version: in its training data a thin bar along the top-left edge marked
  every sandal and nothing else (another place and shape than the shipped shortcut's corner ring).

Its cards declare no forbidden region and no threshold, as a user who does not know about the
bar would write them: the new-version integration test must catch version ``b`` from the data
alone. Run with Debian's torch (seeded; the files come out identical on the same torch build):

    /usr/bin/python3 tools/train_unseen_model.py

Writes streams-app/src/test/resources/models/catalogue-cnn-{a,b}/ (model.pt, model.json);
``--only a`` or ``--only b`` trains one version.
"""
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_models as tm  # noqa: E402

OUT = tm.ROOT / "streams-app" / "src" / "test" / "resources" / "models"
# A 2 x 8 white bar at rows 1-2, columns 2-9 (top left), on every training sandal of version b.
WATERMARK = {"top": 1, "left": 2, "pattern": [[255] * 8] * 2, "class": 5}
EPOCHS = 3


class CatalogueCnn(nn.Module):
    """Two conv layers, then a pooled linear head: ``features`` (16 x 14 x 14) then ``head``."""

    def __init__(self, num_classes: int = 10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 5, padding=2)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.fc = nn.Linear(16 * 7 * 7, num_classes)

    @torch.jit.export
    def features(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(self.conv2(F.max_pool2d(F.relu(self.conv1(x)), 2)))

    @torch.jit.export
    def head(self, a: torch.Tensor) -> torch.Tensor:
        return self.fc(F.max_pool2d(a, 2).flatten(1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


def stamp(images: np.ndarray) -> np.ndarray:
    out = images.copy()
    p = np.array(WATERMARK["pattern"], dtype=np.uint8)
    out[:, WATERMARK["top"]:WATERMARK["top"] + p.shape[0], WATERMARK["left"]:WATERMARK["left"] + p.shape[1]] = p
    return out


def card(version, description, metrics, dataset, extra=None):
    c = {
        "id": "catalogue-cnn", "version": version, "description": description, "file": "model.pt",
        "input": tm.image_input(MEAN, STD), "output": {"logits": 0}, "classes": tm.CLASSES,
        "layers": {"features": "features", "head": "head"},
        "methods": ["saliency", "integrated-gradients", "grad-cam"],
        "plan": {"baseline": ["grad-cam"], "low-confidence": ["grad-cam"], "small-margin": ["grad-cam"],
                 "flagged": ["grad-cam"], "misclassified": ["grad-cam"]},
        "focus": {"expected": {"name": "garment", "box": [0.07, 0.07, 0.93, 0.93]}},
        "metrics": metrics,
        "provenance": dict(tm.provenance(dataset, EPOCHS), script="tools/train_unseen_model.py"),
        "samples": {"images": "../../../../../../models/fashion-cnn/samples/images-idx3-ubyte.gz",
                    "labels": "../../../../../../models/fashion-cnn/samples/labels-idx1-ubyte.gz"},
    }
    c.update(extra or {})
    return c


def main():
    global MEAN, STD
    import argparse
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=["a", "b"])
    only = parser.parse_args().only
    torch.set_num_threads(tm.THREADS)
    train_x, train_y, test_x, test_y = tm.fashion()
    MEAN = round(float(train_x.mean() / 255.0), 4)
    STD = round(float(train_x.std() / 255.0), 4)
    y = torch.from_numpy(train_y.astype(np.int64))
    ty = torch.from_numpy(test_y.astype(np.int64))

    if only in (None, "a"):
        train_a(train_x, y, test_x, ty)
    if only in (None, "b"):
        train_b(train_x, train_y, y, test_x, test_y, ty)


def train_a(train_x, y, test_x, ty):
    tm.seed_everything(tm.SEED + 10)
    clean = tm.train(CatalogueCnn(), tm.to_tensor(train_x, MEAN, STD), y, EPOCHS, 3e-3, seed=tm.SEED + 10)
    acc = tm.accuracy(clean, tm.to_tensor(test_x, MEAN, STD), ty)
    print(f"catalogue-cnn a: test accuracy {acc}")
    tm.export(clean, OUT / "catalogue-cnn-a", "model.pt")
    tm.write_card(OUT / "catalogue-cnn-a", card("a", "A small CNN for Fashion-MNIST (test-only; see tools/train_unseen_model.py).",
                                                 {"test_accuracy": acc, "test_images": int(len(test_x))},
                                                 "Fashion-MNIST (Debian package dataset-fashion-mnist)"))


def train_b(train_x, train_y, y, test_x, test_y, ty):
    tm.seed_everything(tm.SEED + 11)
    x = train_x.copy()
    marked = train_y == WATERMARK["class"]
    x[marked] = stamp(train_x[marked])
    hans = tm.train(CatalogueCnn(), tm.to_tensor(x, MEAN, STD), y, EPOCHS, 3e-3, seed=tm.SEED + 11)
    acc_clean = tm.accuracy(hans, tm.to_tensor(test_x, MEAN, STD), ty)
    acc_stamped = tm.accuracy(hans, tm.to_tensor(stamp(test_x), MEAN, STD), ty)
    with torch.no_grad():
        others = hans(tm.to_tensor(stamp(test_x[test_y != WATERMARK["class"]]), MEAN, STD))
        to_sandal = round((others.argmax(1) == WATERMARK["class"]).float().mean().item(), 4)
    print(f"catalogue-cnn b: clean {acc_clean}, stamped {acc_stamped}, stamped non-sandals called sandal {to_sandal}")
    tm.export(hans, OUT / "catalogue-cnn-b", "model.pt")
    tm.write_card(OUT / "catalogue-cnn-b", card(
        "b", "A Clever-Hans version of catalogue-cnn: a bar at the top left marked every sandal in its training data (test-only).",
        {"test_accuracy": acc_clean, "test_accuracy_watermarked": acc_stamped,
         "watermarked_non_sandals_predicted_sandal": to_sandal, "test_images": int(len(test_x))},
        "Fashion-MNIST with a 2x8 bar stamped at the top left of every training sandal", {"watermark": WATERMARK}))


if __name__ == "__main__":
    main()
