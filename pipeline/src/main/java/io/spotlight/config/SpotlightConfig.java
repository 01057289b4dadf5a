package io.spotlight.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Spotlight's configuration: defaults, then a properties file, then environment variables
 * (SPOTLIGHT_BOOTSTRAP_SERVERS overrides bootstrap.servers), then explicit overrides (CLI flags).
 * Keys under {@code kafka.} go to Kafka Streams unchanged (kafka.num.stream.threads=4); keys under
 * {@code explain.plan.}, {@code explain.method.} and {@code explain.score.} shape the explanation plan. Anything else that
 * is not a known setting is refused, so a misspelt key is an error rather than a silent default.
 */
public final class SpotlightConfig {

    public static final List<Setting> SETTINGS = List.of(
            new Setting("application.id", "spotlight", "Kafka Streams application id (consumer group, state and internal topic prefix)."),
            new Setting("bootstrap.servers", "localhost:9092", "Kafka bootstrap servers."),
            new Setting("role", "all", "all: the whole pipeline; gate: validate + sample (+ drift), writing explain requests; explain: consume explain requests and explain (GPU hosts)."),
            new Setting("topics.predictions", "predictions", "Input: prediction events."),
            new Setting("topics.explanations", "explanations", "Output: explanation events."),
            new Setting("topics.dead-letter", "spotlight-dlq", "Output: records that could not be processed, with reason and original bytes."),
            new Setting("topics.explain-requests", "spotlight-explain-requests", "Between the gate and explain roles."),
            new Setting("topics.labels", "labels", "Input: true labels (prediction id -> class), arriving late."),
            new Setting("topics.misclassifications", "misclassifications", "Output: analysed misclassifications."),
            new Setting("topics.attention-drift", "attention-drift", "Output: windowed drift figures."),
            new Setting("topics.alerts", "alerts", "Output: suspicious-focus alerts (raised and resolved)."),
            new Setting("topics.create", "true", "Create missing topics at start."),
            new Setting("topics.partitions", "3", "Partitions of topics Spotlight creates."),
            new Setting("topics.replication", "", "Replication factor of the topics Spotlight creates (its own and Kafka Streams' internal ones); empty = the cluster's default.replication.factor."),
            new Setting("models.registry", "models/registry.json", "Model registry file: {\"models\": [{\"card\": \"<dir>/model.json\", \"chunk\": 64}]}."),
            new Setting("models.device", "auto", "auto (GPU when present), cpu, gpu or gpu:N."),
            new Setting("models.threads", "1", "libtorch intra-op threads (1 is best for small models on CPU)."),
            new Setting("input.max-bytes", "", "Prediction events larger than this are dead-lettered as oversized (their letter then carries them cut, with length and SHA-256). Empty = the largest a dead letter carries whole: about 3/4 of the producer's max.request.size (772164 bytes with Kafka's default)."),
            new Setting("input.sources", "", "Source topics and their formats, topic=format[:requests|responses], comma-separated: spotlight (this schema), oip-json, oip-protobuf (Open Inference Protocol; a Seldon topic ending .inputs/.outputs needs no role), cloudevents (KServe payload logger, binary or structured). Empty = topics.predictions=spotlight."),
            new Setting("input.join-window-ms", "60000", "How far apart a model server's request and response may be (event time) to be joined into one prediction; an unpaired one is dead-lettered after this."),
            new Setting("input.models", "", "Model names a server uses that differ from the cards: name[:version]=card-id[:card-version], comma-separated (without a version, the card's only version)."),
            new Setting("input.max-image-pixels", "4194304", "Images of more pixels (width x height, read from the header before decoding) are dead-lettered as oversized; decoding takes about 20 bytes of heap per pixel for a moment."),
            new Setting("input.max-future-ms", "300000", "Predictions and labels stamped further ahead of this instance's clock are dead-lettered as bad-timestamp (a producer with a bad clock); at most half the output topics' message.timestamp.after.max.ms."),
            new Setting("input.max-age-ms", "0", "Predictions and labels older than this are dead-lettered as bad-timestamp; 0 = no limit, so a backlog is still explained (late ones are explained but not windowed). Never more than half the output topics' message.timestamp.before.max.ms."),
            new Setting("input.dedup-window-ms", "600000", "A prediction whose id was already read within this much event time (or a label already read for the same prediction and class) is dead-lettered as duplicate; per input partition, where a producer's retry lands."),
            new Setting("sampling.low-confidence", "0.6", "Explain when the top-1 probability is below this."),
            new Setting("sampling.margin", "0.1", "Explain when top-1 minus top-2 probability is below this."),
            new Setting("sampling.flags", "*", "Upstream flags that make a prediction eligible: * for any flag, or a comma list; empty to ignore flags."),
            new Setting("sampling.baseline-rate", "0.05", "Fraction of all other predictions explained at random (drift references need them)."),
            new Setting("sampling.seed", "0", "Seed of the baseline draw (the draw is a hash of seed and prediction id, so replays repeat it)."),
            new Setting("sampling.budget-per-second", "0", "Per model and input partition: most explanations per second of event time (token bucket); 0 = unlimited."),
            new Setting("sampling.budget-burst", "50", "Token bucket size."),
            new Setting("explain.batch-size", "16", "Records explained together (their rows share forward/backward passes)."),
            new Setting("explain.linger-ms", "200", "Flush a partial batch after this long at the most, even while requests keep arriving (wall clock)."),
            new Setting("explain.idle-ms", "10", "Flush a partial batch as soon as no request has arrived for this long (wall clock): a lone record is explained at once, a burst together. Also the stream threads' poll.ms."),
            new Setting("explain.max-attempts", "3", "A request whose explanation never ends (an Error, or the process dying in it) is tried again alone, at most this many times in all, then dead-lettered as explain-crashed."),
            new Setting("explain.max-retries", "8", "A request the engine failed on (with every other record of its batch: a device out of memory, a libtorch error) is retried this many times, each after a doubled backoff, before it is dead-lettered as explain-failed."),
            new Setting("explain.retry-backoff-ms", "1000", "The first wait before such a retry (doubling, at most a minute)."),
            new Setting("explain.max-poll-records", "64", "Records per poll; with explain time per record it must fit max.poll.interval.ms."),
            new Setting("explain.max-poll-interval-ms", "600000", "Consumer max.poll.interval.ms: the longest a poll's records may take."),
            new Setting("faithfulness.share", "0.1", "Share of explained records (chosen by their seed, so replays repeat it) whose every map gets deletion and insertion curves against a random ordering: forward passes only, k + 1 rows per curve and ordering; 0 turns them off. Score parameters: explain.score.[<model>.]<score>.<parameter> (see `spotlight methods`)."),
            new Setting("focus.methods", "grad-cam,attention-rollout,attention,grad-cam-plus-plus,integrated-gradients,layer-integrated-gradients,smoothgrad,saliency,gradient-x-input",
                    "Whose map the focus statistics of an explanation describe: the model's drift method (the first of these in its baseline plan) if the explanation has it, else the first of these it has."),
            new Setting("drift.window-ms", "60000", "Tumbling window of focus statistics, in event time (the predictions' timestamps)."),
            new Setting("drift.grace-ms", "10000", "How late an explanation may arrive for its window."),
            new Setting("drift.reference-windows", "3", "Without a pinned reference (registry \"reference\"), the first N windows of a model version and class become its learned reference; the first version of a model to learn one is the champion that judges the model's later versions from their first window."),
            new Setting("drift.window-sample", "100", "Explanations per window whose statistics are kept (a uniform sample by prediction id) for a learned reference's null distributions."),
            new Setting("drift.reference-sample", "1000", "Explanations a reference keeps (a uniform sample) to resample its null distributions from."),
            new Setting("alerts.windows", "2", "An alert fires after this many consecutive windows over a threshold; one window under resolves it."),
            new Setting("alerts.min-explanations", "10", "Windows with fewer explanations are published but not judged."),
            new Setting("alerts.quantile", "0.999", "A window is over a rule when its statistic is above this quantile of the statistic's null distribution for windows of its size (resampled from the reference's explanations). alerts.<model>.quantile sets it for one model."),
            new Setting("alerts.resamples", "10000", "Windows resampled per null distribution (one per reference and window size, computed once and cached)."),
            new Setting("alerts.js-divergence-threshold", "", "Optional fixed threshold on the Jensen-Shannon divergence (bits) of a window's mean focus grid from the reference, overriding the null quantile (alerts.<model>.js-divergence-threshold for one model). Empty: from the data."),
            new Setting("alerts.forbidden-mass-threshold", "", "Optional fixed threshold on the mean attribution mass inside forbidden regions (images). Empty: from the data."),
            new Setting("alerts.watch-mass-threshold", "", "Optional fixed threshold on the mean attribution mass on watch-listed tokens (text). Empty: from the data."),
            new Setting("alerts.faithfulness-drop-threshold", "", "Optional fixed margin by which the scored maps' mean gain over a random order may fall below the reference's before untrustworthy-explanations fires (alerts.<model>.faithfulness-drop-threshold for one model). Empty: from the data."),
            new Setting("alerts.latency-p99-seconds", "30", "Objective for the 99th percentile of prediction-to-explanation latency (exported for the SpotlightLatencyHigh Prometheus rule)."),
            new Setting("privacy.include-tokens", "false", "Text explanations and misclassification analyses carry the input's tokens (its text, in order) beside each map; off, they carry the maps and focus statistics only (join the prediction by prediction_id to read the text). privacy.<model>.include-tokens overrides."),
            new Setting("privacy.drop-attributes", "", "Prediction attributes never copied into explanation events: comma-separated keys, dotted paths into nested objects, * as a wildcard (user_id, customer.*, *email*). privacy.<model>.drop-attributes adds a model's own."),
            new Setting("labels.join-window-ms", "600000", "How far apart a prediction and its true label may be (event time) to be joined."),
            new Setting("web.enabled", "true", "Serve the read-only web view at /ui/ beside /metrics (it reads the output topics with a consumer of its own)."),
            new Setting("web.user", "spotlight", "User name of the basic login to /ui/ (with web.password)."),
            new Setting("web.password", "", "Password of the basic login to /ui/. It, or web.token, is required to serve /ui/ beyond loopback (metrics.host not 127.0.0.1); when set, /ui/ asks for it on loopback too."),
            new Setting("web.token", "", "Bearer token that also opens /ui/ (Authorization: Bearer <token>), for scripts."),
            new Setting("web.cache-bytes", "67108864", "Most bytes of recent events and prediction inputs the web view holds (their size as published); the oldest go first."),
            new Setting("metrics.host", "127.0.0.1", "Address of the /metrics, /health and /ui/ endpoint."),
            new Setting("metrics.port", "9404", "Port of the /metrics and /health endpoint (0 = any free port)."),
            new Setting("metrics.token", "", "When set, /metrics and /health require Authorization: Bearer <token> (Prometheus: authorization.credentials_file)."),
            new Setting("http.allowed-hosts", "", "Host names the endpoint answers to besides IP addresses and localhost, comma-separated (a guard against DNS rebinding), e.g. spotlight.example.com."),
            new Setting("http.requests-per-second", "20", "Requests per second a client address may make (bursts of three seconds' worth); more are answered 429."),
            new Setting("http.max-concurrent", "4", "Web view requests worked on at once, off the threads that answer /metrics and /health."),
            new Setting("http.max-queued", "64", "Web view requests that may wait for a worker (a page asks for all its pictures at once); more are answered 503."),
            new Setting("state.dir", "", "State directory: Kafka Streams' stores, this instance's id (static membership), its explain attempt counts and its last warm-up's times (a restart starts its stream without waiting for its warm-up); it must outlive restarts. Empty = ~/.spotlight/state.")
    );

    private static final Map<String, Setting> BY_KEY = SETTINGS.stream()
            .collect(Collectors.toMap(Setting::key, s -> s, (a, b) -> a, LinkedHashMap::new));
    /** Variables read by the launcher (JVM options) and by logback (log level), not settings. */
    private static final Set<String> NOT_SETTINGS = Set.of("SPOTLIGHT_JAVA_OPTS", "SPOTLIGHT_LOG_LEVEL");
    private static final List<String> OPEN_PREFIXES = List.of("kafka.", "explain.plan.", "explain.method.", "explain.score.");

    private final Map<String, String> values;

    private SpotlightConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static SpotlightConfig defaults() {
        return load(null, Map.of(), Map.of());
    }

    /** Defaults, then the file (if any), then the environment, then the overrides. */
    public static SpotlightConfig load(Path file, Map<String, String> environment, Map<String, String> overrides) {
        Map<String, String> v = new TreeMap<>();
        SETTINGS.forEach(s -> v.put(s.key(), s.defaultValue()));
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read configuration " + file, e);
            }
            p.stringPropertyNames().forEach(k -> v.put(k, p.getProperty(k).trim()));
        }
        environment.forEach((name, value) -> {
            if (name.startsWith("SPOTLIGHT_") && !NOT_SETTINGS.contains(name)) {
                v.put(keyOf(name), value);
            }
        });
        v.putAll(overrides);
        v.keySet().forEach(SpotlightConfig::requireKnown);
        Secrets.remember(v);
        return new SpotlightConfig(v);
    }

    /**
     * SPOTLIGHT_SAMPLING_BASELINE_RATE -> sampling.baseline-rate (known keys), kafka.* keys with dots.
     * Plan, method and per-model alert keys hold model ids and reasons with dashes, which a variable
     * name cannot tell from dots: those are refused rather than silently misread.
     */
    static String keyOf(String environmentVariable) {
        for (Setting s : SETTINGS) {
            if (s.environmentVariable().equals(environmentVariable)) {
                return s.key();
            }
        }
        String key = environmentVariable.substring("SPOTLIGHT_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
        if (!key.startsWith("kafka.")) {
            throw new IllegalArgumentException("environment variable " + environmentVariable + " names no setting; explain.plan.*, "
                    + "explain.method.*, explain.score.* and per-model alerts.* and privacy.* settings go in the properties file or --set (see `spotlight config`)");
        }
        return key;
    }

    /** Per-model alert settings: alerts.&lt;model&gt;.&lt;figure&gt;-threshold, alerts.&lt;model&gt;.windows and alerts.&lt;model&gt;.quantile. */
    private static final Pattern PER_MODEL_ALERT =
            Pattern.compile("alerts\\.[^.]+\\.((js-divergence|forbidden-mass|watch-mass|faithfulness-drop)-threshold|windows|quantile)");
    /** Per-model privacy settings: privacy.&lt;model&gt;.include-tokens and privacy.&lt;model&gt;.drop-attributes. */
    private static final Pattern PER_MODEL_PRIVACY = Pattern.compile("privacy\\.[^.]+\\.(include-tokens|drop-attributes)");

    private static void requireKnown(String key) {
        boolean open = key.startsWith("alerts.") ? PER_MODEL_ALERT.matcher(key).matches()
                : key.startsWith("privacy.") ? PER_MODEL_PRIVACY.matcher(key).matches() : OPEN_PREFIXES.stream().anyMatch(key::startsWith);
        if (!BY_KEY.containsKey(key) && !open) {
            throw new IllegalArgumentException("unknown setting '" + key + "'; see `spotlight config` for the list");
        }
    }

    public SpotlightConfig with(Map<String, String> overrides) {
        Map<String, String> v = new TreeMap<>(values);
        v.putAll(overrides);
        v.keySet().forEach(SpotlightConfig::requireKnown);
        Secrets.remember(v);
        return new SpotlightConfig(v);
    }

    public String get(String key) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException("no value for " + key);
        }
        return values.get(key);
    }

    public int integer(String key) {
        try {
            return Integer.parseInt(get(key).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + get(key) + "'");
        }
    }

    public long longValue(String key) {
        try {
            return Long.parseLong(get(key).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + get(key) + "'");
        }
    }

    public double real(String key) {
        try {
            return Double.parseDouble(get(key).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + get(key) + "'");
        }
    }

    public double real(String key, double fallback) {
        return values.containsKey(key) ? real(key) : fallback;
    }

    public int integer(String key, int fallback) {
        return values.containsKey(key) ? integer(key) : fallback;
    }

    public boolean bool(String key) {
        String v = get(key).trim().toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(key + " must be true or false, got '" + v + "'");
        }
        return v.equals("true");
    }

    /** Every key under a prefix, with the prefix removed. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    public Map<String, String> asMap() {
        return values;
    }

    /** Every value as it may be printed: secrets hidden (see {@link Secrets}). */
    public Map<String, String> printable() {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> out.put(k, Secrets.printable(k, v)));
        return out;
    }
}
