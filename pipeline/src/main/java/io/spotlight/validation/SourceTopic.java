package io.spotlight.validation;

import io.spotlight.config.SpotlightConfig;
import io.spotlight.oip.InferMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A topic Spotlight reads predictions from, in one format; for the protocol's JSON and Protobuf,
 * whether it holds requests or responses, and the model where the topic's name says it
 * (Seldon Core 2: {@code <prefix>.<namespace>.model.<model>.inputs|outputs}).
 */
public record SourceTopic(String topic, InputFormat format, InferMessage.Role role, String model) {

    private static final Pattern SELDON = Pattern.compile("(?:^|.*\\.)model\\.([^.]+)\\.(inputs|outputs)$");

    /** The configured sources (input.sources), or topics.predictions in Spotlight's format. */
    public static List<SourceTopic> from(SpotlightConfig c) {
        String spec = c.get("input.sources").trim();
        if (spec.isEmpty()) {
            return List.of(new SourceTopic(c.get("topics.predictions"), InputFormat.SPOTLIGHT, null, null));
        }
        List<SourceTopic> out = new ArrayList<>();
        for (String entry : spec.split(",")) {
            if (!entry.isBlank()) {
                out.add(parse(entry.trim()));
            }
        }
        if (out.stream().map(SourceTopic::topic).distinct().count() != out.size()) {
            throw new IllegalArgumentException("input.sources names a topic twice: " + spec);
        }
        return out;
    }

    /** topic=format[:requests|responses]. */
    static SourceTopic parse(String entry) {
        int eq = entry.lastIndexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("input.sources entry '" + entry + "' is not topic=format[:requests|responses]");
        }
        String topic = entry.substring(0, eq).trim();
        String[] formatAndRole = entry.substring(eq + 1).split(":", 2);
        InputFormat format = InputFormat.of(formatAndRole[0]);
        Matcher seldon = SELDON.matcher(topic);
        String model = seldon.matches() ? seldon.group(1) : null;
        InferMessage.Role role = null;
        if (formatAndRole.length == 2) {
            role = switch (formatAndRole[1].trim()) {
                case "requests" -> InferMessage.Role.REQUEST;
                case "responses" -> InferMessage.Role.RESPONSE;
                default -> throw new IllegalArgumentException("input.sources entry '" + entry + "': the role is requests or responses");
            };
        } else if (seldon.matches()) {
            role = seldon.group(2).equals("inputs") ? InferMessage.Role.REQUEST : InferMessage.Role.RESPONSE;
        }
        if (format.joins() && !format.rolePerRecord() && role == null) {
            throw new IllegalArgumentException("input.sources entry '" + entry + "': say whether the topic holds requests or responses ("
                    + topic + "=" + format.id() + ":requests), or use Seldon's topic names (...model.<name>.inputs / .outputs)");
        }
        if (!format.joins() && role != null) {
            throw new IllegalArgumentException("input.sources entry '" + entry + "': Spotlight's own events have no role");
        }
        return new SourceTopic(topic, format, role, model);
    }
}
