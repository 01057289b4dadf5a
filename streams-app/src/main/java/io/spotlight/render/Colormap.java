package io.spotlight.render;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A matplotlib colour map as a 256-entry table (exported by tools/export_colormaps.py): jet, hot, viridis, rdylgn. */
public final class Colormap {

    private static final Map<String, Colormap> CACHE = new ConcurrentHashMap<>();

    private final int[] rgb;

    private Colormap(int[] rgb) {
        this.rgb = rgb;
    }

    public static Colormap named(String name) {
        return CACHE.computeIfAbsent(name.toLowerCase(Locale.ROOT), Colormap::load);
    }

    private static Colormap load(String name) {
        try (InputStream in = Colormap.class.getResourceAsStream("/colormaps/" + name + ".txt")) {
            if (in == null) {
                throw new IllegalArgumentException("unknown colour map '" + name + "'; known: jet, hot, viridis, rdylgn");
            }
            int[] table = new int[256];
            int i = 0;
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] p = line.trim().split("\\s+");
                table[i++] = (Integer.parseInt(p[0]) << 16) | (Integer.parseInt(p[1]) << 8) | Integer.parseInt(p[2]);
            }
            if (i != 256) {
                throw new IllegalStateException("colour map " + name + " has " + i + " entries, not 256");
            }
            return new Colormap(table);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The colour of t in [0, 1] (clamped), as 0xRRGGBB; NaN is drawn as the lowest colour. */
    public int rgb(double t) {
        if (!(t >= 0)) {
            return rgb[0];
        }
        return rgb[(int) Math.min(255, Math.floor(t * 256))];
    }
}
