package io.spotlight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spotlight.attribution.Method;
import io.spotlight.attribution.ParameterSpec;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The explain command's method flags come from the methods' declarations and reach the methods that take them. */
class MethodFlagsTest {

    static CommandSpec parse(String... flags) {
        CommandLine cli = new CommandLine(new ExplainCommand());
        String[] args = new String[flags.length + 2];
        args[0] = "--model";
        args[1] = "model.json";
        System.arraycopy(flags, 0, args, 2, flags.length);
        cli.parseArgs(args);
        return cli.getCommandSpec();
    }

    @Test
    void everyDeclaredParameterHasAFlag() {
        CommandSpec spec = parse();
        assertThat(Arrays.stream(Method.values()).flatMap(m -> m.parameters().parameters().stream()))
                .allSatisfy(p -> assertThat(spec.findOption(p.flag())).as(p.flag()).isNotNull());
    }

    @Test
    void aFlagGoesToEveryMethodThatTakesItAndImpliesTheChoiceItAppliesUnder() {
        CommandSpec spec = parse("--steps", "32", "--baseline-file", "b.npy", "--attention-head", "2", "--reduction", "sum");
        assertThat(MethodFlags.given(spec, Method.INTEGRATED_GRADIENTS))
                .isEqualTo(Map.of("steps", "32", "baseline-file", "b.npy", "baseline", "file", "reduction", "sum"));
        assertThat(MethodFlags.given(spec, Method.LAYER_INTEGRATED_GRADIENTS)).isEqualTo(Map.of("steps", "32"));
        assertThat(MethodFlags.given(spec, Method.ATTENTION)).isEqualTo(Map.of("head", "2"));
        assertThat(MethodFlags.given(spec, Method.SALIENCY)).isEqualTo(Map.of("reduction", "sum"));
        assertThat(MethodFlags.given(spec, Method.GRAD_CAM)).isEmpty();
        // A choice given on the command line is kept: the method then refuses the flag that does not apply.
        assertThat(MethodFlags.given(parse("--baseline", "blur", "--baseline-file", "b.npy"), Method.INTEGRATED_GRADIENTS))
                .containsEntry("baseline", "blur");
    }

    @Test
    void helpSaysWhichMethodsTakeAFlagAndWhatEachAllows() {
        String usage = new CommandLine(new ExplainCommand()).getUsageMessage();
        assertThat(usage).contains("--attention-layer=LAYER", "--blur-sigma=BLUR-SIGMA");
        String baseline = MethodFlags.help(MethodFlags.flags().get("--baseline"));
        assertThat(baseline).contains("integrated-gradients: What the path starts from", "one of black, white, random, blur, file, default black",
                "layer-integrated-gradients: What the path starts from", "one of zeros, pad, default zeros").doesNotContain("`");
        assertThat(MethodFlags.help(MethodFlags.flags().get("--chunk"))).startsWith("Every method, deletion, insertion: Rows per forward/backward pass");
        assertThat(MethodFlags.help(MethodFlags.flags().get("--steps")))
                .startsWith("integrated-gradients, layer-integrated-gradients: Points along the path");
    }

    @Test
    void aFlagHasOneTypeForEveryMethod() {
        assertThat(MethodFlags.flags()).allSatisfy((flag, parameters) ->
                assertThat(parameters.values().stream().map(ParameterSpec::type).distinct()).as(flag).hasSize(1));
    }
}
