package io.spotlight.cli;

import io.spotlight.attribution.Method;
import io.spotlight.attribution.MethodParameters;
import io.spotlight.attribution.ParameterSpec;
import io.spotlight.attribution.RecordedValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "methods", mixinStandardHelpOptions = true,
        description = "Lists the attribution methods with every parameter they take (type, allowed values, default) and the values they record; "
                + "set them with explain.method.[<model>.]<method>.<parameter> or the explain command's flags.")
final class MethodsCommand implements Callable<Integer> {

    @Option(names = "--markdown", description = "Print the methods as a Markdown table (as in the README).")
    boolean markdown;

    @Override
    public Integer call() {
        System.out.print(markdown ? markdown() : text());
        return 0;
    }

    /** The README's table of methods, then the parameters every method takes. */
    static String markdown() {
        StringBuilder s = new StringBuilder("| method | what | parameters |\n|---|---|---|\n");
        for (Method m : Method.values()) {
            List<String> cells = new ArrayList<>();
            own(m).forEach(p -> cells.add("`" + p.name() + "` (" + p.describe() + "): " + p.doc()));
            m.parameters().recorded().forEach(r -> cells.add("records `" + r.name() + "`: " + r.doc()));
            s.append("| `").append(m.id()).append("` | ").append(m.summary()).append(" | ")
                    .append(cells.isEmpty() ? "—" : String.join("<br>", cells).replace("|", "\\|")).append(" |\n");
        }
        for (ParameterSpec<?> p : common()) {
            s.append("\nEvery method also takes `").append(p.name()).append("` (").append(p.describe()).append("): ").append(p.doc()).append('\n');
        }
        return s.toString();
    }

    private static String text() {
        StringBuilder s = new StringBuilder();
        for (Method m : Method.values()) {
            s.append(m.id()).append(": ").append(m.summary()).append('\n');
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
