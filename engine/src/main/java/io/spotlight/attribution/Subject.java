package io.spotlight.attribution;

import io.spotlight.model.ModelInput;

/**
 * One record to explain: its decoded input, the class whose logit is differentiated, and the seed
 * every random draw for it comes from (derived from the record's identity, so replays repeat it).
 */
public record Subject(ModelInput input, int target, long seed) {

    /** Methods that draw record the subject's seed beside their parameters. */
    public static final RecordedValue SEED = new RecordedValue("seed", "The record's seed of the random draws (noise, random baselines).");
}
