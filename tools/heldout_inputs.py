#!/usr/bin/python3
"""Writes held-out inputs for measuring the alerts (`spotlight baseline --judge-against`), none of
them among the shipped samples the pinned references were made from:

* ``clean-images-idx3-ubyte.gz``: the Fashion-MNIST test images that are not samples (9500);
* ``stamped-images-idx3-ubyte.gz``: the same with the shipped Clever-Hans model's corner ring;
* ``catalogue-stamped-images-idx3-ubyte.gz``: the same with catalogue-cnn b's left-edge bar;
* ``reviews.txt``: 6000 generated reviews (another seed than the training and sample corpus).

    /usr/bin/python3 tools/heldout_inputs.py OUT_DIR      (needs `cd tools && npm ci` for the lexicon)
"""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import reviews  # noqa: E402
import train_models as tm  # noqa: E402
import train_unseen_model as unseen  # noqa: E402


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    _, _, test_x, test_y = tm.fashion()
    # The samples' indices, drawn exactly as train_models.write_image_samples draws them.
    rng = np.random.default_rng(tm.SEED)
    picks = np.concatenate([rng.choice(np.where(test_y == c)[0], 50, replace=False) for c in range(10)])
    rest = np.setdiff1d(np.arange(len(test_x)), picks)
    rest = np.random.default_rng(tm.SEED + 20).permutation(rest)
    tm.write_idx_gz(out / "clean-images-idx3-ubyte.gz", test_x[rest])
    tm.write_idx_gz(out / "stamped-images-idx3-ubyte.gz", tm.stamp(test_x[rest]))
    tm.write_idx_gz(out / "catalogue-stamped-images-idx3-ubyte.gz", unseen.stamp(test_x[rest]))
    lexicon = reviews.load_afinn(tm.AFINN)
    texts = [t for t, _ in reviews.generate(lexicon, 6000, tm.SEED + 21)]
    (out / "reviews.txt").write_text("\n".join(texts) + "\n", encoding="utf-8")
    print(f"wrote {len(rest)} images (clean, stamped, catalogue-stamped) and {len(texts)} reviews to {out}")


if __name__ == "__main__":
    main()
