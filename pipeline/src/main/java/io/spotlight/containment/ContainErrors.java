package io.spotlight.containment;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.ProcessorWrapper;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.WrappedFixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.WrappedProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import java.util.Set;

/**
 * Wraps every processor of the topology, the DSL's included, so that an {@link Error} one throws
 * on a record (a stack overflow on deep input, an allocation that fails) reaches the processing
 * exception handler as an exception: Kafka Streams hands exceptions to the handler but lets errors
 * kill the stream thread, and the record would then kill every thread that reads it again.
 */
public final class ContainErrors implements ProcessorWrapper {

    /** An error a stage threw, carried as an exception. */
    static final class StageError extends RuntimeException {
        StageError(Error cause) {
            super(cause.toString(), cause);
        }
    }

    /** Runs a stage's step with an Error it throws turned into an exception. */
    static void contained(Runnable step) {
        try {
            step.run();
        } catch (Error e) {
            throw new StageError(e);
        }
    }

    @Override
    public <KIn, VIn, KOut, VOut> WrappedProcessorSupplier<KIn, VIn, KOut, VOut> wrapProcessorSupplier(
            String processorName, ProcessorSupplier<KIn, VIn, KOut, VOut> supplier) {
        return ProcessorWrapper.asWrapped(new ProcessorSupplier<>() {
            @Override
            public Processor<KIn, VIn, KOut, VOut> get() {
                return new Contained<>(supplier.get());
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return supplier.stores();
            }
        });
    }

    @Override
    public <KIn, VIn, VOut> WrappedFixedKeyProcessorSupplier<KIn, VIn, VOut> wrapFixedKeyProcessorSupplier(
            String processorName, FixedKeyProcessorSupplier<KIn, VIn, VOut> supplier) {
        return ProcessorWrapper.asWrappedFixedKey(new FixedKeyProcessorSupplier<>() {
            @Override
            public FixedKeyProcessor<KIn, VIn, VOut> get() {
                return new ContainedFixedKey<>(supplier.get());
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return supplier.stores();
            }
        });
    }

    private record Contained<KIn, VIn, KOut, VOut>(Processor<KIn, VIn, KOut, VOut> inner) implements Processor<KIn, VIn, KOut, VOut> {
        @Override
        public void init(ProcessorContext<KOut, VOut> context) {
            inner.init(context);
        }

        @Override
        public void process(Record<KIn, VIn> record) {
            contained(() -> inner.process(record));
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    private record ContainedFixedKey<KIn, VIn, VOut>(FixedKeyProcessor<KIn, VIn, VOut> inner) implements FixedKeyProcessor<KIn, VIn, VOut> {
        @Override
        public void init(FixedKeyProcessorContext<KIn, VOut> context) {
            inner.init(context);
        }

        @Override
        public void process(FixedKeyRecord<KIn, VIn> record) {
            contained(() -> inner.process(record));
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
