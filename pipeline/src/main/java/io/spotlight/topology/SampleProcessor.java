package io.spotlight.topology;

import io.spotlight.events.ModelRef;
import io.spotlight.events.PredictionEvent;
import io.spotlight.explanation.ExplainRequest;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.sampling.SamplingDecision;
import io.spotlight.sampling.SamplingPolicy;
import io.spotlight.sampling.SamplingReason;
import io.spotlight.sampling.TokenBucket;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * sample: forwards the predictions the policy picks, within each model's budget (a token bucket on
 * event time, kept in a changelogged store); counts every decision by reason.
 */
final class SampleProcessor implements Processor<String, PredictionEvent, String, ExplainRequest> {

    static final String BUDGET_STORE = "sampling-budget";

    private final SamplingPolicy policy;
    private final double ratePerSecond;
    private final double burst;
    private final SpotlightMetrics metrics;
    private ProcessorContext<String, ExplainRequest> context;
    private KeyValueStore<String, TokenBucket> budgets;

    SampleProcessor(SamplingPolicy policy, double ratePerSecond, double burst, SpotlightMetrics metrics) {
        this.policy = policy;
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, ExplainRequest> context) {
        this.context = context;
        this.budgets = context.getStateStore(BUDGET_STORE);
    }

    @Override
    public void process(Record<String, PredictionEvent> record) {
        PredictionEvent event = record.value();
        ModelRef model = event.model();
        SamplingDecision decision = policy.decide(event);
        if (decision.sampled() && ratePerSecond > 0 && !withinBudget(model, event.timestamp().toEpochMilli())) {
            decision = decision.overBudget();
        }
        if (!decision.sampled()) {
            metrics.skipped(decision.skipped(), model.id(), model.version());
            return;
        }
        for (SamplingReason reason : decision.reasons()) {
            metrics.sampled(reason.id(), model.id(), model.version());
        }
        context.forward(record.withKey(event.id()).withValue(new ExplainRequest(event, decision)));
    }

    private boolean withinBudget(ModelRef model, long eventMillis) {
        String key = model.toString();
        TokenBucket bucket = budgets.get(key);
        bucket = (bucket == null ? TokenBucket.full(burst, eventMillis) : bucket).refill(eventMillis, ratePerSecond, burst);
        boolean ok = bucket.hasToken();
        budgets.put(key, ok ? bucket.take() : bucket);
        return ok;
    }
}
