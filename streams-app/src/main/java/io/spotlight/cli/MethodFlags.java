package io.spotlight.cli;

import io.spotlight.attribution.Declared;
import io.spotlight.attribution.Method;
import io.spotlight.attribution.ParameterSpec;
import io.spotlight.evaluation.Score;
import io.spotlight.events.Identified;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/**
 * The explain command's method and score flags, made from their parameter declarations: one flag
 * per parameter name (or the flag a parameter declares), given to every chosen method or score that
 * has that parameter, with help that says which take it and what each allows.
 */
final class MethodFlags implements CommandLine.IModelTransformer {

    /** Each flag and the methods and scores whose parameter it sets, in declaration order. */
    static Map<String, Map<Declared, ParameterSpec<?>>> flags() {
        List<Declared> all = new ArrayList<>(List.of(Method.values()));
        all.addAll(List.of(Score.values()));
        Map<String, Map<Declared, ParameterSpec<?>>> out = new LinkedHashMap<>();
        for (Declared m : all) {
            for (ParameterSpec<?> p : m.parameters().parameters()) {
                out.computeIfAbsent(p.flag(), f -> new LinkedHashMap<>()).put(m, p);
            }
        }
        return out;
    }

    @Override
    public CommandSpec transform(CommandSpec command) {
        flags().forEach((flag, parameters) -> command.addOption(OptionSpec.builder(flag)
                .type(javaType(flag, parameters))
                .paramLabel(parameters.values().iterator().next().name().toUpperCase(Locale.ROOT))
                .description(help(parameters).replace("%", "%%"))
                .build()));
        return command;
    }

    /** The flag's value type: one for every method that has the parameter. */
    private static Class<?> javaType(String flag, Map<Declared, ParameterSpec<?>> parameters) {
        List<Class<?>> types = parameters.values().stream().<Class<?>>map(p -> switch (p.type()) {
            case INTEGER -> p.auto() == null ? Integer.class : String.class;
            case REAL -> Double.class;
            case CHOICE, TEXT -> String.class;
            case FILE -> Path.class;
        }).distinct().toList();
        if (types.size() != 1) {
            throw new IllegalStateException(flag + " sets parameters of different types " + parameters);
        }
        return types.get(0);
    }

    /** Per declaration: the methods (and scores) that share it, what it allows and what it does (Markdown marks removed). */
    static String help(Map<Declared, ParameterSpec<?>> parameters) {
        Map<ParameterSpec<?>, List<String>> methods = new IdentityHashMap<>();
        List<ParameterSpec<?>> order = new ArrayList<>();
        parameters.forEach((m, p) -> {
            if (!methods.containsKey(p)) {
                order.add(p);
            }
            methods.computeIfAbsent(p, k -> new ArrayList<>()).add(m.id());
        });
        List<String> parts = new ArrayList<>();
        for (ParameterSpec<?> p : order) {
            List<String> who = new ArrayList<>(methods.get(p));
            if (who.containsAll(Identified.ids(Method.class))) {
                who.removeAll(Identified.ids(Method.class));
                who.add(0, "Every method");
            }
            parts.add(String.join(", ", who) + ": " + p.doc() + " (" + p.describe() + ")");
        }
        return String.join(" ", parts).replace("`", "");
    }

    /**
     * The flags given on the command line, as one method's or score's parameters. A flag for a parameter that
     * applies under one value of a choice implies that value unless the choice is given too
     * ({@code --baseline-file x} is {@code --baseline file --baseline-file x}).
     */
    static Map<String, String> given(CommandSpec command, Declared method) {
        Map<String, String> out = new LinkedHashMap<>();
        List<ParameterSpec<?>> declared = method.parameters().parameters();
        for (ParameterSpec<?> p : declared) {
            Object value = command.findOption(p.flag()).getValue();
            if (value != null) {
                out.put(p.name(), value.toString());
            }
        }
        for (ParameterSpec<?> p : declared) {
            ParameterSpec.Condition when = p.condition();
            if (when != null && out.containsKey(p.name()) && when.ids().size() == 1) {
                out.putIfAbsent(when.choice().name(), when.ids().get(0));
            }
        }
        return out;
    }
}
