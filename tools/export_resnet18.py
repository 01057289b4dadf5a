#!/usr/bin/python3
"""Exports torchvision's ResNet-18 with random (seeded) weights to the Spotlight model contract: a
TorchScript file whose ``features`` method returns layer4's activation (512 x 7 x 7) and whose
``head`` maps it to the 1000 logits (``head(features(x)) == forward(x)``), and a model card beside
it. It is the 224 x 224 model `./spotlight benchmark` calibrates and measures, so chunk choices are
made for real image sizes; it is exported when the benchmark runs and never shipped (its weights
are noise, its numbers only costs).

    /usr/bin/python3 tools/export_resnet18.py OUT_DIR

This is also the recipe for a torchvision classifier of your own: wrap it so that ``features``
stops at the layer a CAM should explain, then ``torch.jit.script`` it in eval mode.
"""
import json
import sys
from pathlib import Path

import torch
import torch.nn as nn
import torchvision

SEED = 20261201


class Resnet18(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = torchvision.models.resnet18(weights=None)

    @torch.jit.export
    def features(self, x: torch.Tensor) -> torch.Tensor:
        n = self.net
        x = n.maxpool(n.relu(n.bn1(n.conv1(x))))
        return n.layer4(n.layer3(n.layer2(n.layer1(x))))

    @torch.jit.export
    def head(self, a: torch.Tensor) -> torch.Tensor:
        return self.net.fc(torch.flatten(self.net.avgpool(a), 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(SEED)
    model = Resnet18().eval()  # BatchNorm on its (initial) running statistics; Spotlight never switches it
    x = torch.randn(2, 3, 224, 224)
    with torch.no_grad():
        assert torch.allclose(model.head(model.features(x)), model(x))
    torch.jit.script(model).save(str(out / "model.pt"))
    card = {
        "id": "resnet18-random",
        "version": "1",
        "description": "torchvision ResNet-18 with random weights (seed %d): the benchmark's 224 x 224 model, never shipped." % SEED,
        "file": "model.pt",
        "input": {"kind": "image", "shape": [3, 224, 224],
                  "preprocessing": {"resize": [224, 224], "scale": 255.0, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]}},
        "output": {"logits": 0},
        "classes": ["class-%d" % i for i in range(1000)],
        "layers": {"features": "features", "head": "head"},
        "methods": ["saliency", "gradient-x-input", "smoothgrad", "integrated-gradients", "grad-cam", "grad-cam-plus-plus"],
        "plan": {"baseline": ["grad-cam"], "low-confidence": ["integrated-gradients", "grad-cam"],
                 "flagged": ["saliency", "integrated-gradients", "grad-cam-plus-plus"]},
        "provenance": {"script": "tools/export_resnet18.py", "torch": torch.__version__, "torchvision": torchvision.__version__,
                       "weights": "random, torch.manual_seed(%d)" % SEED},
    }
    (out / "model.json").write_text(json.dumps(card, indent=2) + "\n")
    print(out / "model.json")


if __name__ == "__main__":
    main()
