"""Architectures of the models Spotlight ships, written to the Spotlight model contract.

The contract (see README.md in this folder):
  * ``forward`` returns the logits, or a tuple whose first element is the logits; a transformer
    returns its attention probabilities as the second element, stacked as
    [batch, layer, head, query, key].
  * A CNN exports ``features`` (input -> the activation a CAM method explains) and ``head``
    (that activation -> logits) with ``head(features(x)) == forward(x)``.
  * A text model exports ``embed`` (token ids -> token embeddings) and ``classify_embeddings``
    (token embeddings, token ids -> logits, attentions); the ids are only used for the padding
    mask, so integrated gradients can interpolate the embeddings alone.
No BatchNorm and no Dropout: attributions must not depend on a train/eval switch.
"""
from typing import List, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F


class FashionCnn(nn.Module):
    """Four 3x3 convolutions and a small MLP; ``features`` is the last conv block (64 x 7 x 7)."""

    def __init__(self, num_classes: int = 10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.conv4 = nn.Conv2d(64, 64, 3, padding=1)
        self.fc1 = nn.Linear(64 * 7 * 7, 64)
        self.fc2 = nn.Linear(64, num_classes)

    @torch.jit.export
    def features(self, x: torch.Tensor) -> torch.Tensor:
        x = F.relu(self.conv1(x))
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.max_pool2d(F.relu(self.conv3(x)), 2)
        return F.relu(self.conv4(x))

    @torch.jit.export
    def head(self, a: torch.Tensor) -> torch.Tensor:
        return self.fc2(F.relu(self.fc1(torch.flatten(a, 1))))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


class Attention(nn.Module):
    """Multi-head self-attention that also returns its probabilities (per head)."""

    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor, key_mask: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        b, t, d = x.shape
        qkv = self.qkv(x).reshape(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        scores = (q @ k.transpose(-2, -1)) * self.scale
        # key_mask: [b, t], True where the key is padding.
        scores = scores.masked_fill(key_mask[:, None, None, :], -1e9)
        attn = scores.softmax(dim=-1)
        out = (attn @ v).transpose(1, 2).reshape(b, t, d)
        return self.proj(out), attn


class Block(nn.Module):
    """Pre-norm transformer block."""

    def __init__(self, dim: int, heads: int, mlp: int):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim)
        self.fc1 = nn.Linear(dim, mlp)
        self.fc2 = nn.Linear(mlp, dim)

    def forward(self, x: torch.Tensor, key_mask: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        a, attn = self.attn(self.norm1(x), key_mask)
        x = x + a
        x = x + self.fc2(F.gelu(self.fc1(self.norm2(x))))
        return x, attn


class TinyVit(nn.Module):
    """A ViT for 28x28 images: 7x7 patches (a 4x4 grid), a CLS token, returns (logits, attentions)."""

    def __init__(self, num_classes: int = 10, dim: int = 64, depth: int = 4, heads: int = 4,
                 mlp: int = 128, patch: int = 7, image: int = 28):
        super().__init__()
        self.patch = patch
        self.grid = image // patch
        self.patch_embed = nn.Conv2d(1, dim, patch, stride=patch)
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(torch.zeros(1, self.grid * self.grid + 1, dim))
        nn.init.trunc_normal_(self.pos, std=0.02)
        nn.init.trunc_normal_(self.cls, std=0.02)
        self.blocks = nn.ModuleList([Block(dim, heads, mlp) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.fc = nn.Linear(dim, num_classes)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        b = x.shape[0]
        tokens = self.patch_embed(x).flatten(2).transpose(1, 2)
        tokens = torch.cat([self.cls.expand(b, -1, -1), tokens], dim=1) + self.pos
        no_padding = torch.zeros(b, tokens.shape[1], dtype=torch.bool, device=x.device)
        attns: List[torch.Tensor] = []
        for block in self.blocks:
            tokens, attn = block(tokens, no_padding)
            attns.append(attn)
        logits = self.fc(self.norm(tokens)[:, 0])
        return logits, torch.stack(attns, dim=1)


class ReviewTransformer(nn.Module):
    """A small text classifier: token + position embeddings, transformer blocks, CLS head."""

    def __init__(self, vocab: int, num_classes: int = 2, dim: int = 48, depth: int = 2,
                 heads: int = 4, mlp: int = 96, max_len: int = 32, pad_id: int = 0):
        super().__init__()
        self.pad_id = pad_id
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Parameter(torch.zeros(1, max_len, dim))
        nn.init.trunc_normal_(self.pos, std=0.02)
        self.blocks = nn.ModuleList([Block(dim, heads, mlp) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.fc = nn.Linear(dim, num_classes)

    @torch.jit.export
    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        return self.tok(ids)

    @torch.jit.export
    def classify_embeddings(self, emb: torch.Tensor, ids: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        x = emb + self.pos[:, : emb.shape[1]]
        key_mask = ids == self.pad_id
        attns: List[torch.Tensor] = []
        for block in self.blocks:
            x, attn = block(x, key_mask)
            attns.append(attn)
        logits = self.fc(self.norm(x)[:, 0])
        return logits, torch.stack(attns, dim=1)

    def forward(self, ids: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        return self.classify_embeddings(self.embed(ids), ids)


class LinearProbe(nn.Module):
    """A linear classifier on a flattened image: the closed-form case for attribution tests."""

    def __init__(self, shape: List[int], num_classes: int):
        super().__init__()
        n = 1
        for s in shape:
            n *= s
        self.fc = nn.Linear(n, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.flatten(x, 1))


class WideProbe(nn.Module):
    """Three region means of a large grey image (no weights): a model whose attribution maps are larger
    than one Kafka record holds, for the tests of explanation sizes."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = x.shape[2] // 2
        return torch.stack([x.mean((1, 2, 3)), x[:, :, :h, :].mean((1, 2, 3)), x[:, :, h:, :].mean((1, 2, 3))], 1)
