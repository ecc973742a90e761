package io.portcullis.dnsproxy.proxy;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Queries in flight on one upstream channel, by the message ID they were forwarded with. IDs are chosen at
 * random among the free ones, so an off-path answer cannot guess them in sequence. Event-loop confined.
 */
final class Pending {

    private final DnsProxy.PendingQuery[] slots = new DnsProxy.PendingQuery[65_536];
    private int size;

    /** The ID to forward with, or -1 when all 65,536 are in flight. */
    int add(DnsProxy.PendingQuery p) {
        if (size == slots.length) {
            return -1;
        }
        int id = ThreadLocalRandom.current().nextInt(slots.length);
        while (slots[id] != null) {
            id = (id + 1) & 0xffff;
        }
        slots[id] = p;
        size++;
        return id;
    }

    DnsProxy.PendingQuery take(int id) {
        DnsProxy.PendingQuery p = slots[id];
        if (p != null) {
            slots[id] = null;
            size--;
        }
        return p;
    }

    int size() {
        return size;
    }

    /** Removes and hands over every query past its deadline. */
    void expire(long nowNanos, Consumer<DnsProxy.PendingQuery> expired) {
        if (size == 0) {
            return;
        }
        for (int i = 0; i < slots.length; i++) {
            DnsProxy.PendingQuery p = slots[i];
            if (p != null && nowNanos - p.deadlineNanos() > 0) {
                take(i);
                expired.accept(p);
            }
        }
    }

    /** Removes and hands over everything (the channel is gone). */
    void drain(Consumer<DnsProxy.PendingQuery> lost) {
        for (int i = 0; i < slots.length && size > 0; i++) {
            DnsProxy.PendingQuery p = take(i);
            if (p != null) {
                lost.accept(p);
            }
        }
    }
}
