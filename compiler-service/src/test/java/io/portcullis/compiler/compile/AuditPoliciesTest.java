package io.portcullis.compiler.compile;

import static io.portcullis.compiler.Fixtures.allowFrom;
import static io.portcullis.compiler.Fixtures.endpoint;
import static io.portcullis.compiler.Fixtures.identity;
import static io.portcullis.compiler.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.compiler.compile.Publication.Out;
import io.portcullis.mesh.compiled.EndpointPolicyRecord;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.mesh.identity.EndpointIdentityRecord;
import io.portcullis.mesh.identity.IdentityRecord;
import io.portcullis.mesh.policy.PolicyEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Policies annotated {@code portcullis.io/audit: "true"} are named in the maps they contribute to. */
class AuditPoliciesTest {

    private static final EndpointRecord DEATHSTAR = endpoint("node-a", "default", "deathstar",
            Map.of("org", "empire", "class", "deathstar"), List.of("127.40.5.1"), Map.of());

    private final EndpointCompiler compiler = new EndpointCompiler();

    private void apply(long revision, String yaml) {
        var p = policy(yaml);
        compiler.apply(new Change.Policy(p.key(), PolicyEvent.Applied.of(revision, p)));
    }

    private static String audited(String yaml, String value) {
        return yaml.replace("metadata: {name: audit1, namespace: default}",
                "metadata: {name: audit1, namespace: default, annotations: {portcullis.io/audit: \"" + value + "\"}}");
    }

    private static EndpointPolicyRecord deathstar(Publication p) {
        return p.records().stream().filter(o -> o.key().equals("node-a/default/deathstar")).map(Out::value)
                .map(EndpointPolicyRecord.class::cast).findFirst().orElseThrow();
    }

    @Test
    void theMapListsItsAuditModePoliciesAndRepublishesWhenTheAnnotationChanges() {
        compiler.apply(new Change.Identity(256, IdentityRecord.of(identity(256, DEATHSTAR))));
        compiler.apply(new Change.Endpoint(DEATHSTAR.key(), DEATHSTAR));
        compiler.apply(new Change.EndpointIdentity(DEATHSTAR.key(), EndpointIdentityRecord.of(DEATHSTAR.key(), 256)));
        compiler.flush(true);

        String auditPolicy = allowFrom("audit1", "deathstar", "empire", 80);
        assertThat(auditPolicy).contains("metadata: {name: audit1, namespace: default}");
        apply(1, audited(auditPolicy, "true"));
        apply(2, allowFrom("enforced1", "deathstar", "empire", 81));
        EndpointPolicyRecord r = deathstar(compiler.flush(false));
        assertThat(r.auditPolicies()).containsExactly("default/audit1");

        apply(3, audited(auditPolicy, "false"));
        EndpointPolicyRecord after = deathstar(compiler.flush(false));
        assertThat(after.auditPolicies()).isNull();
        assertThat(after.revision()).isEqualTo(3);
    }
}
