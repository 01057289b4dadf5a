package io.spotlight.explanation;

import io.spotlight.config.SpotlightConfig;
import io.spotlight.events.ExplanationEvent.MethodResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What of a prediction may be copied into the events Spotlight publishes. The input itself never
 * is; a text input's tokens (its text, in order) only where privacy.include-tokens says so; the
 * prediction's free attributes except those its model's drop lists name. Focus statistics are the
 * analysis and stay: for text they name the tokens the model attended to, with their mass.
 */
public final class PrivacyPolicy {

    /** One attribute path: its dot-separated segments, each a pattern where * stands for any characters. */
    private record Path(List<Pattern> segments) {
        static Path parse(String path) {
            return new Path(Arrays.stream(path.split("\\.")).map(s -> Pattern.compile(Pattern.quote(s).replace("*", "\\E.*\\Q"))).toList());
        }
    }

    private final SpotlightConfig config;
    private final List<Path> dropEverywhere;

    private PrivacyPolicy(SpotlightConfig config) {
        this.config = config;
        this.dropEverywhere = paths(config.get("privacy.drop-attributes"));
    }

    public static PrivacyPolicy of(SpotlightConfig config) {
        return new PrivacyPolicy(config);
    }

    /** Whether a model's published maps carry the input's tokens: privacy.&lt;model&gt;.include-tokens, else privacy.include-tokens. */
    public boolean includesTokens(String modelId) {
        String own = "privacy." + modelId + ".include-tokens";
        return config.asMap().containsKey(own) ? config.bool(own) : config.bool("privacy.include-tokens");
    }

    /** The method results as published for this model: without their tokens unless the model keeps them. */
    public List<MethodResult> results(String modelId, List<MethodResult> results) {
        if (includesTokens(modelId)) {
            return results;
        }
        List<MethodResult> out = new ArrayList<>(results.size());
        for (MethodResult r : results) {
            out.add(r.tokens() == null ? r : new MethodResult(r.method(), r.parameters(), r.map(), null, r.summary(), r.elapsedMs(), r.faithfulness()));
        }
        return out;
    }

    /** The attributes as published for this model: privacy.drop-attributes and privacy.&lt;model&gt;.drop-attributes taken out. */
    public Map<String, Object> attributes(String modelId, Map<String, Object> attributes) {
        if (attributes == null) {
            return null;
        }
        List<Path> drop = new ArrayList<>(dropEverywhere);
        drop.addAll(paths(config.asMap().getOrDefault("privacy." + modelId + ".drop-attributes", "")));
        Map<String, Object> out = attributes;
        for (Path p : drop) {
            out = without(out, p.segments());
        }
        return out;
    }

    /** A copy of the map without the entries the path names (the input is never changed). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> without(Map<String, Object> map, List<Pattern> segments) {
        Pattern first = segments.get(0);
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            if (!first.matcher(key).matches()) {
                out.put(key, value);
            } else if (segments.size() > 1 && value instanceof Map<?, ?> nested) {
                out.put(key, without((Map<String, Object>) nested, segments.subList(1, segments.size())));
            } else if (segments.size() > 1) {
                out.put(key, value);
            }
        });
        return out;
    }

    private static List<Path> paths(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Path::parse).toList();
    }
}
