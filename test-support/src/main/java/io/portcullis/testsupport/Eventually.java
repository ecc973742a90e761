package io.portcullis.testsupport;

import java.time.Duration;

/** Retries an assertion until it holds (at most 30 s): for state that arrives through Kafka. */
public final class Eventually {

    private Eventually() {}

    public static void holds(Runnable assertion) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
