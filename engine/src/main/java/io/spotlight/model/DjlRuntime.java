package io.spotlight.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.spotlight.events.ExplanationEvent.EngineInfo;

/**
 * Starts DJL's PyTorch engine the way Spotlight needs it: offline (libtorch comes from the
 * native jar, never a download), a fixed intra-op thread count, one inter-op thread, and no
 * TorchScript graph optimiser (same steady speed, much faster first call).
 */
public final class DjlRuntime {

    public static final String ENGINE = "PyTorch";
    private static volatile Engine engine;

    private DjlRuntime() {}

    /** Idempotent; the thread settings of the first call win, as libtorch reads them once. */
    public static synchronized Engine start(int intraOpThreads) {
        if (engine == null) {
            setIfAbsent("ai.djl.offline", "true");
            setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(Math.max(1, intraOpThreads)));
            setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
            setIfAbsent("ai.djl.pytorch.graph_optimizer", "false");
            engine = Engine.getEngine(ENGINE);
        }
        return engine;
    }

    /** "auto" (a GPU when there is one), "cpu", "gpu" or "gpu:N". */
    public static Device device(String spec) {
        Engine e = start(1);
        if (spec == null || spec.isBlank() || spec.equals("auto")) {
            return e.defaultDevice();
        }
        Device device = Device.fromName(spec, e);
        if (device.isGpu() && device.getDeviceId() >= e.getGpuCount()) {
            throw new IllegalArgumentException("device " + spec + " requested but the engine sees " + e.getGpuCount() + " GPU(s)");
        }
        return device;
    }

    public static EngineInfo info(Device device) {
        Engine e = start(1);
        String spotlight = DjlRuntime.class.getPackage().getImplementationVersion();
        return new EngineInfo(e.getEngineName(), e.getVersion(), Engine.getDjlVersion(), device.toString(),
                spotlight == null ? "dev" : spotlight);
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
