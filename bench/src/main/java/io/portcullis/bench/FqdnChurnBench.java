package io.portcullis.bench;

import io.portcullis.policy.fqdn.FqdnCache;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;

/**
 * FQDN cache churn (not a test): 100,000 distinct names with a 1 s TTL go through the cache, then GC
 * runs until they are gone; the heap in use afterwards must be within 20% of the heap before. Prints the
 * figures and the ratio end/start against the 1.20 target; exits 1 when over it.
 * Arguments: [names (100000)] [endpoints (10)].
 */
public final class FqdnChurnBench {

    private static final double TARGET = 1.20;

    private FqdnChurnBench() {}

    public static void main(String[] args) throws InterruptedException {
        int names = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int endpoints = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        FqdnCache cache = new FqdnCache(FqdnCache.Settings.DEFAULTS);
        // warm the code paths with a small round, so class loading is part of the start figure
        churn(cache, 1000, endpoints, System.currentTimeMillis() - 10_000);
        collect(cache);
        long start = usedHeap();

        long t0 = System.nanoTime();
        long now = System.currentTimeMillis();
        churn(cache, names, endpoints, now);
        long insertMs = (System.nanoTime() - t0) / 1_000_000;
        long peak = usedHeap();
        int peakNames = cache.nameCount();
        int peakIps = cache.ipCount();

        Thread.sleep(1100); // every TTL passes
        long t1 = System.nanoTime();
        collect(cache);
        long gcMs = (System.nanoTime() - t1) / 1_000_000;
        long end = usedHeap();

        double ratio = (double) end / start;
        System.out.printf("fqdn churn: %,d names (%d endpoints, 1 s TTL) inserted in %,d ms (%,.0f/s), GC'd in %,d ms%n",
                names, endpoints, insertMs, names * 1000.0 / Math.max(1, insertMs), gcMs);
        System.out.printf("cache at peak: %,d names, %,d IPs; after GC: %,d names, %,d IPs, %,d zombies, %,d mappings%n",
                peakNames, peakIps, cache.nameCount(), cache.ipCount(), cache.zombieCount(), cache.mappingCount());
        System.out.printf("heap used: start %,d KB, peak %,d KB, after expiry+GC %,d KB%n", start / 1024, peak / 1024, end / 1024);
        System.out.printf("ratio after/start: %.3f (target <= %.2f): %s%n", ratio, TARGET, ratio <= TARGET ? "OK" : "OVER");
        System.exit(ratio <= TARGET ? 0 : 1);
    }

    private static void churn(FqdnCache cache, int names, int endpoints, long observedAt) {
        for (int i = 0; i < names; i++) {
            String ip = "10." + ((i >> 16) & 0xff) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff);
            cache.observe("ns-" + (i % endpoints) + "/client", "host-" + i + ".churn.example", List.of(ip), 1, observedAt);
        }
    }

    /** Two GC passes after expiry: the first makes zombies, the second deletes them. */
    private static void collect(FqdnCache cache) {
        long now = System.currentTimeMillis();
        cache.gc(now, (e, ip) -> false);
        cache.gc(now + 1, (e, ip) -> false);
    }

    private static long usedHeap() {
        MemoryMXBean m = ManagementFactory.getMemoryMXBean();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            best = Math.min(best, m.getHeapMemoryUsage().getUsed());
        }
        return best;
    }
}
