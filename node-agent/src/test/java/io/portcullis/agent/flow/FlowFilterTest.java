package io.portcullis.agent.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.mesh.flow.FlowRecord;
import io.portcullis.mesh.flow.FlowVerdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowFilterTest {

    private static final FlowRecord HTTP_DENY = new FlowRecord(1, "2026-01-01T00:00:00Z", "node-1", "http-proxy",
            new FlowRecord.Peer("default/client", 256L, "127.40.1.2"), new FlowRecord.Peer("default/web", 257L, "127.40.1.1"),
            80, "TCP", FlowVerdict.DENIED, List.of("default/p"), "no rule", new FlowRecord.Http("GET", "/x", null, 403),
            null, null);
    private static final FlowRecord L4_ALLOW = new FlowRecord(1, "2026-01-01T00:00:00Z", "node-1", "verdict-api",
            new FlowRecord.Peer(null, 2L, "10.0.0.1"), new FlowRecord.Peer("default/web", 257L, null),
            53, "UDP", FlowVerdict.ALLOWED, List.of(), "ok", null, null, null);

    /** query parameters (from, to, verdict, protocol, origin) → matches HTTP_DENY, matches L4_ALLOW */
    @Test
    void filtersCombineWithAndValuesWithOr() {
        Object[][] table = {
                {null, null, null, null, null, true, true},
                {"default/client", null, null, null, null, true, false},
                {"127.40.1.2", null, null, null, null, true, false},
                {"2", null, null, null, null, false, true},
                {"default/client,10.0.0.1", null, null, null, null, true, true},
                {null, "default/web", null, null, null, true, true},
                {null, "127.40.1.1", null, null, null, true, false},
                {null, null, "denied", null, null, true, false},
                {null, null, "ALLOWED,AUDIT", null, null, false, true},
                {null, null, null, "http", null, true, false},
                {null, null, null, "tcp", null, true, false},
                {null, null, null, "UDP", null, false, true},
                {null, null, null, "kafka,dns", null, false, false},
                {null, null, null, null, "http-proxy", true, false},
                {"default/client", "default/web", "DENIED", "http", "http-proxy", true, false},
                {"default/client", "default/web", "ALLOWED", "http", null, false, false},
        };
        for (Object[] row : table) {
            FlowFilter f = FlowFilter.parse((String) row[0], (String) row[1], (String) row[2], (String) row[3],
                    (String) row[4]);
            assertThat(f.matches(HTTP_DENY)).as("%s on the HTTP deny", java.util.Arrays.toString(row)).isEqualTo(row[5]);
            assertThat(f.matches(L4_ALLOW)).as("%s on the L4 allow", java.util.Arrays.toString(row)).isEqualTo(row[6]);
        }
    }

    @Test
    void anUnknownVerdictIsRefusedByName() {
        assertThatThrownBy(() -> FlowFilter.parse(null, null, "FORWARDED", null, null))
                .hasMessageContaining("FORWARDED").hasMessageContaining("ALLOWED, DENIED, AUDIT");
    }
}
