package io.spotlight.cli;

import io.spotlight.attribution.Declared;
import io.spotlight.attribution.Method;
import io.spotlight.attribution.MethodParameters;
import io.spotlight.attribution.ParameterSpec;
import io.spotlight.attribution.RecordedValue;
import io.spotlight.evaluation.Score;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "methods", mixinStandardHelpOptions = true,
        description = "Lists the attribution methods, and the scores that judge their maps, with every parameter they take (type, allowed "
                + "values, default) and the values they record; set them with explain.method.[<model>.]<method>.<parameter> and "
                + "explain.score.[<model>.]<score>.<parameter>, or the explain command's flags.")
final class MethodsCommand implements Callable<Integer> {

    @Option(names = "--markdown", description = "Print the methods and the scores as Markdown tables (as in the README).")
    boolean markdown;

    @Override
    public Integer call() {
        System.out.print(markdown ? markdown() + "\n" + scoresMarkdown() : text());
        return 0;
    }

    /** The README's table of methods, then the parameters every method takes. */
    static String markdown() {
        StringBuilder s = new StringBuilder("| method | what | parameters |\n|---|---|---|\n");
        for (Method m : Method.values()) {
            s.append(row(m, m.summary(), own(m)));
        }
        for (ParameterSpec<?> p : common()) {
            s.append("\nEvery method also takes `").append(p.name()).append("` (").append(p.describe()).append("): ").append(p.doc()).append('\n');
        }
        return s.toString();
    }

    /** The README's table of scores (every parameter each takes). */
    static String scoresMarkdown() {
        StringBuilder s = new StringBuilder("| score | what | parameters |\n|---|---|---|\n");
        for (Score score : Score.values()) {
            s.append(row(score, score.summary(), score.parameters().parameters()));
        }
        return s.toString();
    }

    /** A table row: the id, what it computes, the given parameters and the values it records. */
    private static String row(Declared d, String summary, List<ParameterSpec<?>> parameters) {
        List<String> cells = new ArrayList<>();
        parameters.forEach(p -> cells.add("`" + p.name() + "` (" + p.describe() + "): " + p.doc()));
        d.parameters().recorded().forEach(r -> cells.add("records `" + r.name() + "`: " + r.doc()));
        return "| `" + d.id() + "` | " + summary + " | " + (cells.isEmpty() ? "—" : String.join("<br>", cells).replace("|", "\\|")) + " |\n";
    }

    private static String text() {
        StringBuilder s = new StringBuilder();
        List<Map.Entry<Declared, String>> all = new ArrayList<>();
        for (Method m : Method.values()) {
            all.add(Map.entry(m, m.summary()));
        }
        for (Score score : Score.values()) {
            all.add(Map.entry(score, "(score) " + score.summary()));
        }
        for (Map.Entry<Declared, String> e : all) {
            Declared m = e.getKey();
            s.append(m.id()).append(": ").append(e.getValue()).append('\n');
            for (ParameterSpec<?> p : m.parameters().parameters()) {
                s.append(String.format("  %-22s %s%n  %-22s %s%n", p.name(), p.describe(), "", p.doc()));
            }
            for (RecordedValue r : m.parameters().recorded()) {
                s.append(String.format("  %-22s recorded: %s%n", r.name(), r.doc()));
            }
        }
        return s.toString().replace("`", "");
    }

    /** A method's parameters but those every method shares. */
    private static List<ParameterSpec<?>> own(Method m) {
        List<ParameterSpec<?>> shared = common();
        return m.parameters().parameters().stream().filter(p -> !shared.contains(p)).toList();
    }

    /** The parameters every method declares (the same declaration). */
    private static List<ParameterSpec<?>> common() {
        List<MethodParameters> all = Arrays.stream(Method.values()).map(Method::parameters).toList();
        return all.get(0).parameters().stream().filter(p -> all.stream().allMatch(d -> d.parameters().contains(p))).toList();
    }
}
