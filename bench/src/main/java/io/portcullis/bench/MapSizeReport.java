package io.portcullis.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.compiled.EndpointPolicyCodec;
import io.portcullis.mesh.compiled.EndpointPolicyRecord;
import io.portcullis.policy.engine.EndpointPolicy;
import io.portcullis.policy.engine.Subject;
import java.util.ArrayList;
import java.util.List;

/**
 * The sizes behind propagation at full size, in one JVM (no Kafka): the heap the compiler's resolved maps
 * take, the bytes of every endpoint's record on the topic (schema 2 table encoding, and schema 1's object per
 * entry for reference), encode/decode/digest times, and the heap a node holding every decoded map takes.
 * Not a test and not JMH: {@code java -Xmx1g -cp bench/target/benchmarks.jar io.portcullis.bench.MapSizeReport}.
 */
public final class MapSizeReport {

    public static void main(String[] args) {
        long base = usedAfterGc();
        Cluster c = Cluster.load(Workload.generate());
        List<EndpointPolicy> resolved = new ArrayList<>();
        long t0 = System.nanoTime();
        c.resolveAll(resolved::add);
        long resolveMs = (System.nanoTime() - t0) / 1_000_000;
        long engineHeap = usedAfterGc() - base;
        long entries = resolved.stream().mapToLong(p -> p.mapState().size()).sum();

        long v2 = 0;
        long v1 = 0;
        long largest = 0;
        long encodeNs = 0;
        long digestNs = 0;
        long decodeNs = 0;
        List<EndpointPolicy> decoded = new ArrayList<>();
        long beforeDecoded = usedAfterGc();
        for (EndpointPolicy p : resolved) {
            long a = System.nanoTime();
            EndpointPolicyRecord r = EndpointPolicyCodec.encode("node-1", "ns/ep", 1, p);
            byte[] json = MeshJson.encode(r);
            long b = System.nanoTime();
            EndpointPolicyCodec.digest(r);
            long d = System.nanoTime();
            EndpointPolicyRecord back = MeshJson.decode(json, EndpointPolicyRecord.class, EndpointPolicyRecord.SCHEMA_VERSION);
            decoded.add(EndpointPolicyCodec.decode(back, new Subject(p.subject().identity(), p.subject().namedPorts())));
            long e = System.nanoTime();
            encodeNs += b - a;
            digestNs += d - b;
            decodeNs += e - d;
            v2 += json.length;
            largest = Math.max(largest, json.length);
            v1 += schema1Bytes(r);
        }
        long nodeHeap = usedAfterGc() - beforeDecoded;
        int maps = decoded.size();
        decoded = null;
        long engineAfterEncode = usedAfterGc() - base;
        System.out.printf("workload: %d endpoints, %d policies, %d map entries; resolve all %d ms%n",
                resolved.size(), c.policies().size(), entries, resolveMs);
        System.out.printf("compiler: resolved maps (engine, all endpoints) %d MiB of heap%n", engineHeap >> 20);
        System.out.printf("wire: schema 2 %d MiB (largest %d KiB); schema 1 %d MiB; ratio %.2f%n",
                v2 >> 20, largest >> 10, v1 >> 20, (double) v2 / v1);
        System.out.printf("times for all endpoints: encode %d ms, digest %d ms, decode %d ms%n",
                encodeNs / 1_000_000, digestNs / 1_000_000, decodeNs / 1_000_000);
        System.out.printf("compiler: the same after encoding every map once %d MiB (encoding must not grow it)%n",
                engineAfterEncode >> 20);
        System.out.printf("node: every decoded map %d MiB of heap (%d maps)%n", nodeHeap >> 20, maps);
    }

    /** The record's plain Jackson shape (an object per entry): what schema 1 put on the topic. */
    private static final ObjectMapper PLAIN = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL).build();

    private static long schema1Bytes(EndpointPolicyRecord r) {
        try {
            return PLAIN.writeValueAsBytes(r).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
