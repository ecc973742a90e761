package io.portcullis.dnsproxy.proxy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the proxy (read by the stats endpoint from another thread) and the hold's release times. */
public final class ProxyStats {

    public final LongAdder queries = new LongAdder();
    public final LongAdder allowed = new LongAdder();
    public final LongAdder denied = new LongAdder();
    public final LongAdder unknownSource = new LongAdder();
    public final LongAdder malformed = new LongAdder();
    public final LongAdder answered = new LongAdder();
    public final LongAdder servfail = new LongAdder();
    public final LongAdder upstreamTimeouts = new LongAdder();
    public final LongAdder learned = new LongAdder();
    public final LongAdder held = new LongAdder();
    /** Answers released at once because no toFQDNs selector of the node selects their name. */
    public final LongAdder holdUnselected = new LongAdder();
    public final LongAdder holdRealized = new LongAdder();
    public final LongAdder holdTimeouts = new LongAdder();
    public final LongAdder holdErrors = new LongAdder();
    public final LongAdder observationsPublished = new LongAdder();
    public final LongAdder observationsDropped = new LongAdder();

    private static final int SAMPLES = 16_384;
    private final long[] holdNanos = new long[SAMPLES];
    private long holdCount;

    /** How long one held answer waited, from its arrival to its release. */
    public synchronized void holdReleased(long nanos) {
        holdNanos[(int) (holdCount++ % SAMPLES)] = nanos;
    }

    public synchronized void resetHoldSamples() {
        holdCount = 0;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("queries", queries.sum());
        m.put("allowed", allowed.sum());
        m.put("denied", denied.sum());
        m.put("unknownSource", unknownSource.sum());
        m.put("malformed", malformed.sum());
        m.put("answered", answered.sum());
        m.put("servfail", servfail.sum());
        m.put("upstreamTimeouts", upstreamTimeouts.sum());
        m.put("learned", learned.sum());
        m.put("held", held.sum());
        m.put("holdUnselected", holdUnselected.sum());
        m.put("holdRealized", holdRealized.sum());
        m.put("holdTimeouts", holdTimeouts.sum());
        m.put("holdErrors", holdErrors.sum());
        m.put("observationsPublished", observationsPublished.sum());
        m.put("observationsDropped", observationsDropped.sum());
        long[] s;
        synchronized (this) {
            s = Arrays.copyOf(holdNanos, (int) Math.min(holdCount, SAMPLES));
        }
        Arrays.sort(s);
        m.put("holdSamples", s.length);
        if (s.length > 0) {
            m.put("holdP50Ms", s[(int) ((s.length - 1) * 0.50)] / 1e6);
            m.put("holdP99Ms", s[(int) ((s.length - 1) * 0.99)] / 1e6);
        }
        return m;
    }
}
