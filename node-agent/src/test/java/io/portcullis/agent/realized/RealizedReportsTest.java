package io.portcullis.agent.realized;

import static io.portcullis.agent.state.Fixtures.map;
import static io.portcullis.agent.state.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.agent.realized.RealizedReports.Report;
import io.portcullis.agent.state.Fixtures;
import io.portcullis.agent.state.NodeState;
import org.junit.jupiter.api.Test;

class RealizedReportsTest {

    private final NodeState state = new NodeState(Fixtures.NODE);
    private final RealizedReports reports = new RealizedReports();

    private void realize(String id, long identity, long revision) {
        state.putEndpoint(id, spec(id));
        state.putIdentity(id, identity);
        state.putPolicy(id, map(id, identity, revision));
    }

    @Test
    void reportsEachRealizedRevisionOnce() {
        realize("default/a", 300, 3);
        state.putEndpoint("default/waiting", spec("default/waiting"));
        assertThat(reports.due(state.snapshot())).containsExactly(new Report("default/a", 3L));
        assertThat(reports.due(state.snapshot())).isEmpty();

        state.putPolicy("default/a", map("default/a", 300, 4));
        assertThat(reports.due(state.snapshot())).containsExactly(new Report("default/a", 4L));
    }

    @Test
    void aRestartRepublishesOnlyWhatTheTopicDoesNotAlreadySay() {
        reports.seen("default/a", 3);
        reports.seen("default/b", 2);
        reports.seen("default/gone", 1);
        reports.unseen("default/b");
        realize("default/a", 300, 3);
        realize("default/b", 301, 2);
        assertThat(reports.due(state.snapshot()))
                .containsExactly(new Report("default/b", 2L), new Report("default/gone", null));
    }

    @Test
    void aDeregisteredEndpointIsTombstoned() {
        realize("default/a", 300, 3);
        reports.due(state.snapshot());
        state.removeEndpoint("default/a");
        assertThat(reports.due(state.snapshot())).containsExactly(new Report("default/a", null));
        assertThat(reports.due(state.snapshot())).isEmpty();
    }

    @Test
    void aFailedSendIsOfferedAgainUnlessSomethingNewerReplacedIt() {
        realize("default/a", 300, 3);
        Report r3 = reports.due(state.snapshot()).getFirst();
        reports.failed(r3);
        assertThat(reports.due(state.snapshot())).containsExactly(r3);

        state.putPolicy("default/a", map("default/a", 300, 4));
        Report r4 = reports.due(state.snapshot()).getFirst();
        reports.failed(r3); // late failure of the older send
        assertThat(reports.due(state.snapshot())).isEmpty();

        state.removeEndpoint("default/a");
        Report tombstone = reports.due(state.snapshot()).getFirst();
        reports.failed(tombstone);
        assertThat(reports.due(state.snapshot())).containsExactly(new Report("default/a", null));
        assertThat(r4.revision()).isEqualTo(4);
    }
}
