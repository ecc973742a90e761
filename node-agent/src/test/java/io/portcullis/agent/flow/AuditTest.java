package io.portcullis.agent.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.mesh.flow.FlowVerdict;
import io.portcullis.policy.mapstate.ProxyParser;
import io.portcullis.policy.verdict.Decision;
import io.portcullis.policy.verdict.DirectionVerdict;
import io.portcullis.policy.verdict.Verdict;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuditTest {

    private static DirectionVerdict side(Decision d, String... policies) {
        return new DirectionVerdict(d, d != Decision.NOT_EVALUATED, null, ProxyParser.NONE, Set.of(policies), "why");
    }

    private static Verdict verdict(DirectionVerdict egress, DirectionVerdict ingress) {
        boolean denied = egress.denied() || ingress.denied();
        return new Verdict(denied ? Decision.DENIED : Decision.ALLOWED, egress, ingress, List.of("x"), "why");
    }

    /** egress side, ingress side, audit sets → enforced verdict and recorded policies */
    @Test
    void aDenyIsAuditedOnlyWhenEveryDenyingSideIsAllAuditMode() {
        DirectionVerdict notEval = side(Decision.NOT_EVALUATED);
        DirectionVerdict allowed = side(Decision.ALLOWED, "p-allow");
        record Row(DirectionVerdict egress, DirectionVerdict ingress, Set<String> egAudit, Set<String> inAudit,
                   FlowVerdict expect, List<String> policies) {}
        List<Row> table = List.of(
                new Row(notEval, allowed, Set.of(), Set.of("p-allow"), FlowVerdict.ALLOWED, List.of("x")),
                new Row(notEval, side(Decision.DENIED, "a"), Set.of(), Set.of("a"), FlowVerdict.AUDIT, List.of("a")),
                new Row(notEval, side(Decision.DENIED, "a", "b"), Set.of(), Set.of("a"), FlowVerdict.DENIED, List.of("x")),
                new Row(notEval, side(Decision.DENIED), Set.of(), Set.of("a"), FlowVerdict.DENIED, List.of("x")),
                new Row(side(Decision.DENIED, "e"), side(Decision.DENIED, "a"), Set.of("e"), Set.of("a"),
                        FlowVerdict.AUDIT, List.of("a", "e")),
                new Row(side(Decision.DENIED, "e"), side(Decision.DENIED, "a"), Set.of(), Set.of("a"),
                        FlowVerdict.DENIED, List.of("x")),
                // audit mode is per endpoint map: the source's audit set does not cover the destination's policy
                new Row(allowed, side(Decision.DENIED, "a"), Set.of("a"), Set.of(), FlowVerdict.DENIED, List.of("x")));
        for (Row r : table) {
            Audit.Outcome o = Audit.apply(verdict(r.egress(), r.ingress()), r.egAudit(), r.inAudit());
            assertThat(o.verdict()).as(r.toString()).isEqualTo(r.expect());
            assertThat(o.policies()).as(r.toString()).isEqualTo(r.policies());
            assertThat(o.allowed()).isEqualTo(r.expect() != FlowVerdict.DENIED);
        }
    }
}
