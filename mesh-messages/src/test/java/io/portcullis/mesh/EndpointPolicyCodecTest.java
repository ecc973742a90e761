package io.portcullis.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.mesh.compiled.EndpointPolicyCodec;
import io.portcullis.mesh.compiled.EndpointPolicyRecord;
import io.portcullis.policy.conformance.ConformanceCase;
import io.portcullis.policy.conformance.ConformanceCases;
import io.portcullis.policy.conformance.InProcessCluster;
import io.portcullis.policy.engine.EndpointPolicy;
import io.portcullis.policy.engine.Subject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint policy the shared conformance cases produce survives the trip compiler → JSON →
 * node unchanged: same map, same L4 filters, same L7 rules.
 */
class EndpointPolicyCodecTest {

    @Test
    void everyConformancePolicyRoundTrips() throws IOException {
        int checked = 0;
        for (Path file : ConformanceCases.files(ConformanceCases.sharedCasesDir())) {
            ConformanceCase c = ConformanceCases.load(file);
            InProcessCluster cluster = new InProcessCluster();
            List<InProcessCluster.LocalEndpoint> eps = new ArrayList<>();
            c.endpointsOrEmpty().forEach(e -> eps.add(cluster.addEndpoint(e)));
            for (ConformanceCase.Step step : c.allSteps()) {
                if (step.apply() != null) {
                    assertThat(cluster.apply(step.apply()).errors()).isEmpty();
                }
                if (step.observations() != null) {
                    step.observations().forEach(cluster::observe);
                }
                for (InProcessCluster.LocalEndpoint ep : eps) {
                    Subject subject = new Subject(ep.identity(), ep.namedPorts());
                    EndpointPolicy original = cluster.engine().policyFor(subject);
                    byte[] json = MeshJson.encode(EndpointPolicyCodec.encode("node-1", ep.key(), 7, original));
                    EndpointPolicyRecord record = MeshJson.decode(json, EndpointPolicyRecord.class,
                            EndpointPolicyRecord.SCHEMA_VERSION);
                    EndpointPolicy decoded = EndpointPolicyCodec.decode(record, subject);
                    assertThat(record.revision()).isEqualTo(7);
                    assertThat(decoded.mapState()).as("%s %s", file.getFileName(), ep.key()).isEqualTo(original.mapState());
                    assertThat(decoded.ingress()).isEqualTo(original.ingress());
                    assertThat(decoded.egress()).isEqualTo(original.egress());
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(10);
    }
}
