package io.spotlight.replay;

import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.Json;
import io.spotlight.render.Figures;
import io.spotlight.render.Panels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Writes a replay's report as JSON and HTML, with a picture of every difference. */
public final class ReportWriter implements ReplayRunner.DifferenceFigures {

    private final Path dir;
    private int drawn;
    private final Set<String> names = new HashSet<>();

    public ReportWriter(Path dir) {
        this.dir = dir;
    }

    public Path json(ReplayReport report) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("report.json");
            Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the figure of a difference under pictures/ (the first 100 of a report); returns its file name, or null. */
    @Override
    public String draw(String predictionId, ExplanationEvent original, ExplanationEvent replayed) {
        if (drawn >= 100) {
            return null;
        }
        BufferedImage figure = Figures.replayDifference(original, replayed);
        if (figure == null) {
            return null;
        }
        // Ids that differ only in characters a file name cannot hold get a suffix, not each other's picture.
        String base = "pictures/" + predictionId.replaceAll("[^A-Za-z0-9._-]", "_");
        String name = base + ".png";
        for (int n = 2; !names.add(name); n++) {
            name = base + "-" + n + ".png";
        }
        Panels.writePng(figure, dir.resolve(name));
        drawn++;
        return name;
    }

    public Path html(ReplayReport r) {
        StringBuilder s = new StringBuilder();
        s.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Spotlight replay report</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
                .append("td,th{border-bottom:1px solid #ddd;padding:.3em .7em;text-align:left}.ok{color:#15803d}.bad{color:#b91c1c}")
                .append("img{max-width:100%}</style></head><body>");
        var c = r.counts();
        s.append("<h1>Spotlight replay report</h1><p class=\"").append(c.clean() ? "ok" : "bad").append("\">")
                .append(String.format(Locale.ROOT, "%d of %d compared explanations identical (%.1f %%), %d within tolerance, %d different; "
                        + "%d missing from the original, %d extra, %d failed, %d lost on the way to the output.", c.identical(),
                        c.identical() + c.withinTolerance() + c.different(), 100 * c.identicalShare(), c.withinTolerance(), c.different(),
                        c.missingFromOriginal(), c.extra(), c.failed(), c.lost()))
                .append("</p>");
        s.append("<table>");
        row(s, "topic", r.topic());
        row(s, "range", "from " + r.from() + " to " + r.to());
        row(s, "offsets read", r.spans().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> "partition " + e.getKey() + ": " + e.getValue().start() + " to " + e.getValue().end()).toList().toString());
        row(s, "model", r.model() == null ? "every model" : r.model());
        row(s, "model version", r.modelVersion() == null ? "as recorded" : r.modelVersion() + " (what-if)");
        row(s, "replayed on", ReplayRunner.describe(r.engine()) + " (DJL " + r.engine().djl() + ")");
        row(s, "published on", r.originalEngines().stream().map(ReplayRunner::describe).toList().toString());
        row(s, "tolerance (other engines or devices)", String.valueOf(r.tolerance()));
        row(s, "started", String.valueOf(r.started()));
        row(s, "time taken", String.format(Locale.ROOT, "%.1f s", r.seconds()));
        s.append("</table><h2>Counts</h2><table>");
        row(s, "records scanned", c.scanned());
        row(s, "invalid (dead-lettered live)", c.invalid());
        row(s, "of other models", c.otherModels());
        row(s, "sampled", c.sampled());
        row(s, "re-explained", c.reExplained());
        row(s, "identical", c.identical());
        row(s, "within tolerance", c.withinTolerance());
        row(s, "different", c.different());
        row(s, "what-if (another version)", c.whatIf());
        row(s, "missing from the original", c.missingFromOriginal());
        row(s, "extra in the original", c.extra());
        row(s, "failed", c.failed());
        row(s, "lost on the way to the output", c.lost());
        s.append("</table><h2>Model versions used</h2><table>");
        r.modelVersions().forEach((k, v) -> row(s, k, v));
        s.append("</table>");
        if (r.largestDeviation() != null) {
            var d = r.largestDeviation();
            s.append(String.format(Locale.ROOT, "<p>Largest deviation: %s, %s, max |difference| %.3g (relative %.3g).</p>",
                    esc(d.predictionId()), d.method(), d.maxAbs(), d.relative()));
        }
        if (!r.whatIf().isEmpty()) {
            s.append("<h2>What-if: how the other version's explanations differ</h2><table><tr><th>method</th><th>records</th>"
                    + "<th>mean JS divergence</th><th>mean |difference|</th><th>largest relative difference</th></tr>");
            r.whatIf().forEach((m, w) -> s.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%.4f</td><td>%.4g</td><td>%.3g</td></tr>",
                    m, w.count(), w.meanJsDivergence(), w.meanAbsDifference(), w.maxRelative())));
            s.append("</table>");
        }
        if (!r.differences().isEmpty()) {
            s.append("<h2>Differences</h2>");
            for (var d : r.differences()) {
                s.append("<h3>").append(esc(d.predictionId())).append(" (").append(esc(d.model())).append("): ").append(d.verdict()).append("</h3><p>")
                        .append("published ").append(esc(d.originalDigest())).append(" on ").append(esc(d.originalEngine())).append("<br>replayed ")
                        .append(esc(d.replayedDigest())).append(" on ").append(esc(d.replayedEngine())).append("</p><table><tr><th>method</th>")
                        .append("<th>max |difference|</th><th>relative</th><th>mean |difference|</th><th>JS divergence</th></tr>");
                for (var m : d.methods()) {
                    s.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.3g</td><td>%.3g</td><td>%.3g</td><td>%.4f</td></tr>",
                            m.method(), m.maxAbs(), m.relative(), m.meanAbs(), m.jsDivergence()));
                }
                s.append("</table>");
                if (d.picture() != null) {
                    s.append("<img src=\"").append(d.picture()).append("\" alt=\"maps of ").append(esc(d.predictionId())).append("\">");
                }
            }
        }
        list(s, "Missing from the original (re-explained, never published)", r.missingFromOriginal());
        list(s, "Extra in the original (published, not sampled by the replay)", r.extra());
        list(s, "Failed", r.failed());
        list(s, "Lost on the way to the output (refused by it)", r.lost());
        s.append("</body></html>\n");
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("report.html");
            Files.writeString(file, s.toString());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void row(StringBuilder s, String k, Object v) {
        s.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(String.valueOf(v))).append("</td></tr>");
    }

    private static void list(StringBuilder s, String title, List<String> items) {
        if (!items.isEmpty()) {
            s.append("<h2>").append(esc(title)).append("</h2><p>").append(esc(String.join(", ", items))).append("</p>");
        }
    }

    private static String esc(String v) {
        return v == null ? "" : v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
