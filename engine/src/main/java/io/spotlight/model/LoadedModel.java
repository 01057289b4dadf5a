package io.spotlight.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A TorchScript classifier loaded through DJL so that gradients flow: parameters are loaded
 * trainable and then frozen, and every call runs with training=true. Mixing training=false calls
 * into one block would flip the module into train mode, so this class never makes one. Safe to call
 * from several threads at once.
 */
public final class LoadedModel implements AutoCloseable {

    private final ModelCard card;
    private final Model model;
    private final PtSymbolBlock block;
    private final ParameterStore parameters;
    private final Tokenizer tokenizer;
    private volatile ModelSettings settings;

    private LoadedModel(ModelCard card, Model model, Tokenizer tokenizer, ModelSettings settings) {
        this.card = card;
        this.model = model;
        this.block = (PtSymbolBlock) model.getBlock();
        this.parameters = new ParameterStore(model.getNDManager(), false);
        this.tokenizer = tokenizer;
        this.settings = settings;
    }

    public static LoadedModel load(ModelCard card, Device device, ModelSettings settings) {
        DjlRuntime.start(1);
        Model model = Model.newInstance(card.id() + ":" + card.version(), device, DjlRuntime.ENGINE);
        try {
            model.load(card.modelFile().getParent(), card.modelFile().getFileName().toString(),
                    Map.of("trainParam", "true", "mapLocation", "true"));
            ((PtSymbolBlock) model.getBlock()).freezeParameters(true);
            Tokenizer tokenizer = card.input().isText() ? Tokenizer.load(card.directory().resolve(card.input().tokenizer())) : null;
            return new LoadedModel(card, model, tokenizer, settings);
        } catch (IOException e) {
            model.close();
            throw new UncheckedIOException("cannot load " + card.modelFile(), e);
        } catch (MalformedModelException | RuntimeException e) {
            model.close();
            throw new IllegalArgumentException("cannot load " + card.modelFile() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs the module's {@code forward}, or an exported method when {@code method} names one.
     * Outputs belong to the manager of the first input.
     */
    public NDList call(String method, NDArray... inputs) {
        NDList list = new NDList(inputs);
        if (method != null && !method.equals("forward")) {
            NDArray marker = inputs[0].getManager().create(0f);
            marker.setName("module_method:" + method);
            list.add(marker);
        }
        return block.forward(parameters, list, true);
    }

    public NDArray logits(NDList outputs) {
        return outputs.get(card.outputSpec().logitsIndex());
    }

    public NDArray attentions(NDList outputs) {
        if (!card.hasAttentions()) {
            throw new IllegalStateException(card.ref() + " returns no attentions");
        }
        return outputs.get(card.output().attentions());
    }

    public NDManager newManager() {
        return model.getNDManager().newSubManager();
    }

    public Device device() {
        return model.getNDManager().getDevice();
    }

    public ModelCard card() {
        return card;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public ModelSettings settings() {
        return settings;
    }

    /** Replaces the settings (calibration, before the model serves). */
    public void settings(ModelSettings calibrated) {
        this.settings = calibrated;
    }

    @Override
    public void close() {
        model.close();
    }
}
