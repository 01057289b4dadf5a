#!/usr/bin/python3
"""Writes the colour maps Spotlight draws with as 256-entry RGB tables, from matplotlib's
definitions (Debian's python3-matplotlib), so the Java pictures use exactly matplotlib's colours:
jet, hot, viridis (CC0) and RdYlGn (ColorBrewer).

    /usr/bin/python3 tools/export_colormaps.py
"""
from pathlib import Path

import matplotlib
from matplotlib import cm

OUT = Path(__file__).resolve().parent.parent / "streams-app" / "src" / "main" / "resources" / "colormaps"

for name in ["jet", "hot", "viridis", "RdYlGn"]:
    cmap = matplotlib.colormaps[name].resampled(256) if hasattr(matplotlib, "colormaps") else cm.get_cmap(name, 256)
    lines = [f"# matplotlib {matplotlib.__version__} colormap '{name}', 256 entries, r g b in 0..255"]
    for i in range(256):
        r, g, b, _ = cmap(i)
        lines.append(f"{round(r * 255)} {round(g * 255)} {round(b * 255)}")
    (OUT / f"{name.lower()}.txt").write_text("\n".join(lines) + "\n")
    print("wrote", OUT / f"{name.lower()}.txt")
