package io.portcullis.policy.mapstate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * The per-identity {@link MapState.Builder} against the whole-map builder it replaced
 * ({@link LegacyMapState}): random candidates over a few identities and overlapping port prefixes,
 * denies, allows and redirects of every priority, must give the same map; and
 * {@link MapState.Builder#buildIdentity} on a map missing one identity must give the full build.
 */
class MapStateBuilderTest {

    private static final ProxyParser[] PARSERS = ProxyParser.values();
    private static final String[] POLICIES = {"a", "b", "c"};

    private record Candidate(MapKey key, MapEntry entry) {}

    @RepeatedTest(400)
    void sameMapAsTheWholeMapBuilder(RepetitionInfo info) {
        Random r = new Random(info.getCurrentRepetition());
        List<Candidate> cands = candidates(r);
        MapState.Builder now = MapState.builder();
        LegacyMapState.Builder legacy = LegacyMapState.builder();
        for (Candidate c : cands) {
            now.add(c.key(), c.entry());
            legacy.add(c.key(), c.entry());
        }
        MapState built = now.build();
        assertThat(built.entries()).isEqualTo(legacy.build().entries());
        assertThat(built.size()).isEqualTo(built.entries().size());
    }

    @RepeatedTest(200)
    void oneIdentityRebuiltEqualsTheFullBuild(RepetitionInfo info) {
        Random r = new Random(10_000 + info.getCurrentRepetition());
        List<Candidate> cands = candidates(r);
        long peer = 1 + r.nextInt(3);
        MapState.Builder full = MapState.builder();
        MapState.Builder without = MapState.builder();
        MapState.Builder only = MapState.builder();
        for (Candidate c : cands) {
            full.add(c.key(), c.entry());
            if (c.key().identity() == peer) {
                only.add(c.key(), c.entry());
            } else {
                without.add(c.key(), c.entry());
            }
        }
        MapState expected = full.build();
        MapState added = only.buildIdentity(without.build(), peer);
        assertThat(added).isEqualTo(expected);
        assertThat(added.entries()).isEqualTo(expected.entries());
        // and the way back: the peer gone
        assertThat(MapState.builder().buildIdentity(expected, peer)).isEqualTo(without.build());
    }

    private static List<Candidate> candidates(Random r) {
        List<Candidate> out = new ArrayList<>();
        int n = 1 + r.nextInt(14);
        for (int i = 0; i < n; i++) {
            long id = r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(3);
            Direction dir = r.nextInt(5) == 0 ? Direction.EGRESS : Direction.INGRESS;
            Protocol proto = switch (r.nextInt(4)) {
                case 0 -> Protocol.ANY;
                case 1 -> Protocol.UDP;
                default -> Protocol.TCP;
            };
            int[] ports = {0, 80, 81, 64, 8080};
            int port = ports[r.nextInt(ports.length)];
            int prefix = port == 0 ? 0 : new int[] {16, 16, 15, 12, 10}[r.nextInt(5)];
            boolean deny = r.nextInt(3) == 0;
            ProxyParser parser = deny || r.nextBoolean() ? ProxyParser.NONE : PARSERS[1 + r.nextInt(PARSERS.length - 1)];
            MapEntry e = new MapEntry(deny, parser, Set.of(POLICIES[r.nextInt(POLICIES.length)]));
            out.add(new Candidate(new MapKey(id, dir, proto, port, prefix), e));
        }
        return out;
    }
}
