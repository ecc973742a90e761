package io.portcullis.policy.engine;

import static io.portcullis.policy.engine.OracleSupport.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.mapstate.Direction;
import io.portcullis.policy.mapstate.Protocol;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cilium {@code pkg/policy/distillery_test.go TestEgressPortRangePrecedence}: A's egress to B on TCP with
 * port and port-range allows and denies; every port of each check range must get the expected verdict
 * from the compiled map ({@code MapState.lookup} through the {@code Decider}).
 *
 * <p>As in Cilium, a check range is the loop {@code for port := start; port <= end; port++}: a check
 * written with end 0 and a non-zero start checks nothing. Cilium has five such checks; they are kept
 * as written and are vacuous in both. One of them, {@code {101, 0, allow}} in the last case, would be
 * wrong if it were checked (101 is outside every allow, so default deny applies).
 */
class EgressPortRangePrecedenceTest {

    static final Identity A = pod(1001, "id=a");
    static final Identity B = pod(1002, "id=b");

    record PortRange(int start, int end, boolean allow) {}

    record Case(String name, List<PortRange> rules, List<PortRange> checks) {
        @Override
        public String toString() {
            return name;
        }
    }

    static PortRange r(int start, int end, boolean allow) {
        return new PortRange(start, end, allow);
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("deny range (1-1024) covers port allow (80)",
                        List.of(r(80, 0, true), r(1, 1024, false)),
                        List.of(r(79, 81, false), r(1023, 1025, false))),
                new Case("deny port (80) in broader allow range (1-1024)",
                        List.of(r(80, 0, false), r(1, 1024, true)),
                        List.of(r(1, 2, true), r(79, 0, true), r(80, 0, false), r(81, 0, true), r(1023, 1024, true),
                                r(1025, 1026, false))),
                new Case("wildcard deny (*) covers broad allow range (1-1024)",
                        List.of(r(0, 0, false), r(1, 1024, true)),
                        List.of(r(1, 2, false), r(1023, 1025, false))),
                new Case("wildcard allow (*) has an deny range hole (1-1024)",
                        List.of(r(0, 0, true), r(1, 1024, false)),
                        List.of(r(1, 2, false), r(1023, 1024, false), r(1025, 1026, true), r(65534, 0, true))),
                new Case("two allow ranges (80-90, 90-100) with overlapping deny (85-95)",
                        List.of(r(80, 90, true), r(85, 95, false), r(90, 100, true)),
                        List.of(r(79, 0, false), r(80, 84, true), r(85, 95, false), r(96, 100, true), r(101, 0, true))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void portRangePrecedence(Case c) {
        StringBuilder egress = new StringBuilder();
        StringBuilder egressDeny = new StringBuilder();
        for (PortRange p : c.rules()) {
            String entry = "- toEndpoints: [{matchLabels: {id: b}}]\n  toPorts: [{ports: [{port: '" + p.start() + "'"
                    + (p.end() != 0 ? ", endPort: " + p.end() : "") + ", protocol: TCP}]}]\n";
            (p.allow() ? egress : egressDeny).append(entry);
        }
        String spec = "endpointSelector: {matchLabels: {id: a}}\n"
                + (egress.isEmpty() ? "" : "egress:\n" + egress)
                + (egressDeny.isEmpty() ? "" : "egressDeny:\n" + egressDeny);
        EndpointPolicy ep = OracleSupport.resolve(A, List.of(OracleSupport.ccnp("port-ranges", spec)), List.of(B));
        for (PortRange check : c.checks()) {
            for (int port = check.start(); port <= check.end(); port++) {
                assertThat(OracleSupport.allows(ep, Direction.EGRESS, B, Protocol.TCP, port))
                        .as("A -> B :%d/TCP", port).isEqualTo(check.allow());
            }
        }
    }
}
