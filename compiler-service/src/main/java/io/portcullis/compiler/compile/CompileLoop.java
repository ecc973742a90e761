package io.portcullis.compiler.compile;

import io.portcullis.mesh.identity.IdentityWatermarkRecord;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The compiler's single writer: every input consumer {@link #submit}s its changes to one queue, and one
 * thread applies them to the {@link EndpointCompiler} (and so to its {@code PolicyEngine}) in arrival order.
 *
 * <p>Bursts are coalesced: after the first change of a batch the loop keeps taking changes until none
 * arrived for {@code quiet}, or {@code maxDelay} passed, then flushes once and publishes the result
 * through the {@link Sink}, waiting for it. Changes that arrive while publishing make the next batch.
 *
 * <p>Nothing is compiled before {@link #startCompiling()}: the service calls it once every input topic
 * has been replayed to its end. The first flush after it is full (every record and watermark again,
 * stale keys tombstoned); {@link #ready()} completes when that one is published.
 *
 * <p>With the identity hold ({@link IdentityHold}) a policy change that names a prefix the compiler has
 * no ipcache entry for reaches the compiler only once identity-service's watermarks vouch for its revision
 * and the identity inputs they rely on were applied, so a revision is never stamped on maps that lack the
 * CIDR identities it needs.
 *
 * <p>Concurrency contract: {@link #submit} and {@link #startCompiling} from any thread; everything else
 * in the compiler happens on the loop thread; {@link #state()} is a volatile read of an immutable snapshot.
 */
public final class CompileLoop implements AutoCloseable {

    /** Publishes one flush's records in order; returns once the broker has them all, throws if not. */
    @FunctionalInterface
    public interface Sink {
        void publish(Publication publication) throws Exception;
    }

    /** Told about every flush once it is published (metrics). */
    @FunctionalInterface
    public interface Listener {
        void flushed(Publication publication, DesiredState state);
    }

    private static final Logger LOG = Logger.getLogger(CompileLoop.class);
    private static final Object START = new Object();
    private static final Object STOP = new Object();
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final EndpointCompiler compiler = new EndpointCompiler();
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Sink sink;
    private final Listener listener;
    private final Duration quiet;
    private final Duration maxDelay;
    private final Thread thread;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile DesiredState state = DesiredState.EMPTY;
    private volatile Throwable failure;
    private boolean compiling;
    private boolean fullPending;
    /** Null: policy changes apply as they arrive. */
    private final IdentityHold hold;
    private volatile int heldCount;

    /** An identity-service watermark in the queue (not a {@link Change}: the compiler itself never sees it). */
    private record HeldWatermark(IdentityWatermarkRecord record) {}

    public CompileLoop(Sink sink, Listener listener, Duration quiet, Duration maxDelay) {
        this(sink, listener, quiet, maxDelay, false);
    }

    /** @param identityHold whether policy changes wait for identity-service's watermarks */
    public CompileLoop(Sink sink, Listener listener, Duration quiet, Duration maxDelay, boolean identityHold) {
        this.hold = identityHold ? new IdentityHold() : null;
        this.sink = sink;
        this.listener = listener;
        this.quiet = quiet;
        this.maxDelay = maxDelay;
        this.thread = Thread.ofPlatform().name("compile-loop").daemon().unstarted(this::run);
    }

    public CompileLoop start() {
        thread.start();
        return this;
    }

    public void submit(Change change) {
        queue.add(change);
    }

    /** identity-service's watermark of one slice ({@code portcullis.identity-watermarks}); ignored without the hold. */
    public void submit(IdentityWatermarkRecord watermark) {
        queue.add(new HeldWatermark(watermark));
    }

    /** Every input was replayed: compile everything, publish it, then follow changes. */
    public void startCompiling() {
        queue.add(START);
    }

    /** Completes once the state rebuilt from the topics has been published. */
    public CompletableFuture<Void> ready() {
        return ready;
    }

    public DesiredState state() {
        return state;
    }

    /** Why the loop stopped, or null while it runs. */
    public Throwable failure() {
        return failure;
    }

    private void run() {
        try {
            while (true) {
                Object first = queue.take();
                if (first == STOP || !take(first)) {
                    return;
                }
                long deadline = System.nanoTime() + maxDelay.toNanos();
                while (true) {
                    long left = Math.min(quiet.toNanos(), deadline - System.nanoTime());
                    Object next = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    if (!take(next)) {
                        return;
                    }
                }
                if (compiling) {
                    flushAndPublish();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
            ready.completeExceptionally(e);
            LOG.error("compile loop stopped", e);
        }
    }

    /** Applies one queue item; false when the loop must stop. */
    private boolean take(Object item) {
        if (item == STOP) {
            return false;
        }
        if (item == START) {
            compiling = true;
            fullPending = true;
            if (hold != null) {
                hold.coverAll();
            }
        } else if (item instanceof HeldWatermark w) {
            if (hold != null) {
                hold.watermark(w.record());
            }
        } else if (hold != null && item instanceof Change.Policy p) {
            hold.offer(p);
        } else {
            compiler.apply((Change) item);
            if (hold != null) {
                switch (item) {
                    case Change.InputOffset o -> hold.consumed(o.input(), o.partition(), o.next());
                    case Change.Identity i -> hold.identity(i.id(), i.record() != null);
                    case Change.IpCache c -> hold.ipcache(c.prefix(), c.record() == null ? null : c.record().identity());
                    default -> { }
                }
            }
        }
        if (hold != null) {
            hold.releasable().forEach(compiler::apply);
            heldCount = hold.size();
        }
        return true;
    }

    /** Policy changes waiting for identity-service's watermarks (0 without the hold). */
    public int heldPolicies() {
        return hold == null ? 0 : heldCount;
    }

    private void flushAndPublish() throws InterruptedException {
        boolean full = fullPending;
        Publication p = compiler.flush(full);
        state = compiler.state();
        long backoff = 100;
        while (!p.isEmpty()) {
            try {
                sink.publish(p);
                break;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                // The same records again, whole: whatever part was committed is only repeated (compacted
                // topic, same values), and nothing newer was sent. The inputs wait in the queue meanwhile.
                LOG.warnf("publishing %d records failed, retrying in %d ms: %s", p.records().size(), backoff, e.getMessage());
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
            }
        }
        fullPending = false;
        listener.flushed(p, state);
        if (full) {
            LOG.infof("published the rebuilt state at revision %d: %d records", compiler.revision(), p.records().size());
            ready.complete(null);
        }
    }

    @Override
    public void close() {
        queue.add(STOP);
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
