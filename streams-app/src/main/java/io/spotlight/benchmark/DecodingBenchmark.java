package io.spotlight.benchmark;

import io.spotlight.config.SpotlightConfig;
import io.spotlight.containment.RecordLimits;
import io.spotlight.demo.DemoTraffic;
import io.spotlight.demo.TrafficFormat;
import io.spotlight.model.ModelRegistry;
import io.spotlight.oip.InferMessage;
import io.spotlight.validation.Checked;
import io.spotlight.validation.InputFormat;
import io.spotlight.validation.ModelNames;
import io.spotlight.validation.PredictionValidator;
import io.spotlight.validation.ServedPredictions;
import io.spotlight.validation.ServedRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The cost of reading a prediction in each input format: the same demo predictions written as
 * Spotlight's events and as a model server's requests and responses, then read back as the
 * pipeline does (decode both records, assemble, check). Spotlight's own format (parse, schema,
 * checks) is the reference the others are compared with.
 */
public final class DecodingBenchmark {

    /** Microseconds per prediction in one format, and the ratio to Spotlight's own. */
    public record Row(String format, int predictions, double microsPerPrediction, double ratio) {}

    private final int repeats;

    public DecodingBenchmark(int repeats) {
        this.repeats = repeats;
    }

    public List<Row> measure(ModelRegistry models, int events) throws Exception {
        DemoTraffic traffic = DemoTraffic.fromRegistry(models, 3);
        List<DemoTraffic.Event> sample = new ArrayList<>();
        for (long n = 0; sample.size() < events; n++) {
            DemoTraffic.Event e = traffic.next(n, Instant.EPOCH);
            if (!e.broken()) {
                sample.add(e);
            }
        }
        SpotlightConfig config = SpotlightConfig.defaults();
        PredictionValidator validator = PredictionValidator.of(config, models, RecordLimits.of(config).wholeOriginalBytes());
        ServedPredictions served = new ServedPredictions(ModelNames.of(config, models), models, validator);
        List<Row> rows = new ArrayList<>();
        double reference = 0;
        for (TrafficFormat format : TrafficFormat.values()) {
            List<List<TrafficFormat.Out>> written = sample.stream().map(e -> format.encode(e, Instant.EPOCH, "predictions")).toList();
            InputFormat reader = switch (format) {
                case SPOTLIGHT -> InputFormat.SPOTLIGHT;
                case OIP_JSON -> InputFormat.OIP_JSON;
                case OIP_PROTOBUF -> InputFormat.OIP_PROTOBUF;
                case CLOUDEVENTS, CLOUDEVENTS_STRUCTURED -> InputFormat.CLOUDEVENTS;
            };
            double micros = median(() -> {
                for (List<TrafficFormat.Out> records : written) {
                    if (!read(reader, records, validator, served)) {
                        throw new IllegalStateException(format.id() + " did not read back a demo prediction");
                    }
                }
            }) * 1000 / written.size();
            if (format == TrafficFormat.SPOTLIGHT) {
                reference = micros;
            }
            rows.add(new Row(format.id(), written.size(), micros, micros / reference));
        }
        return rows;
    }

    private static boolean read(InputFormat reader, List<TrafficFormat.Out> records, PredictionValidator validator, ServedPredictions served)
            throws Exception {
        if (reader == InputFormat.SPOTLIGHT) {
            return validator.check(records.get(0).value()) instanceof Checked.Valid;
        }
        ServedRecord[] halves = new ServedRecord[2];
        for (int i = 0; i < 2; i++) {
            TrafficFormat.Out out = records.get(i);
            InferMessage m = reader.read(out.value(), out.headers(), i == 0 ? InferMessage.Role.REQUEST : InferMessage.Role.RESPONSE);
            halves[i] = new ServedRecord(m, reader.id(), out.topic(), 0, 0, 0, out.key(), null, out.value());
        }
        return served.assemble(halves[0], halves[1]).rejected() == null;
    }

    private interface Work {
        void run() throws Exception;
    }

    /** Median wall time of a whole pass, in ms, after warm-up passes. */
    private double median(Work work) throws Exception {
        for (int i = 0; i < 3; i++) {
            work.run();
        }
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t = System.nanoTime();
            work.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return ms[repeats / 2];
    }

    /** The Markdown section BENCHMARKS.md carries. */
    public static String markdown(List<Row> rows, int repeats) {
        StringBuilder s = new StringBuilder("## Reading predictions: Spotlight's events vs a model server's formats\n\n");
        s.append("The same demo predictions (every shipped model) written in each format and read back as the pipeline does:\n")
                .append("Spotlight's events are parsed, schema-checked and validated; a model server's request and response are\n")
                .append("decoded, assembled into an event (softmax of the logits, pixels preprocessed) and given the same checks.\n")
                .append("Median of ").append(repeats).append(" passes over all predictions, after 3 warm-up passes; the join's Kafka state\n")
                .append("store and the repartition are not included. Ratio: to Spotlight's own format on the same predictions.\n\n");
        s.append("| format | predictions | µs per prediction | ratio |\n|---|---:|---:|---:|\n");
        for (Row r : rows) {
            s.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.2f |%n", r.format(), r.predictions(), r.microsPerPrediction(), r.ratio()));
        }
        return s.toString();
    }
}
