package io.portcullis.agent.connections;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.agent.connections.ConnectionTable.Pair;
import io.portcullis.agent.connections.ConnectionTable.Report;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the tracker reports: transitions of (endpoint, IP) between live and not, and leases on refresh. */
class ConnectionTableTest {

    private static final Pair A = new Pair("default/client", "127.200.1.1");
    private static final Pair B = new Pair("default/client", "127.200.1.2");

    @Test
    void reportsWhenAPairBecomesLiveAndWhenItsLastConnectionCloses() {
        ConnectionTable t = new ConnectionTable();
        assertThat(t.due(false)).isEmpty();
        t.opened(A);
        t.opened(A);
        t.opened(B);
        assertThat(t.due(false)).containsExactlyInAnyOrder(new Report(A, 2), new Report(B, 1));
        assertThat(t.due(false)).as("nothing changed").isEmpty();
        t.closed(A);
        assertThat(t.due(false)).as("one of two closed: still live").isEmpty();
        assertThat(t.due(true)).as("refresh: every live pair again").containsExactlyInAnyOrder(new Report(A, 1),
                new Report(B, 1));
        t.closed(A);
        t.closed(A); // a close too many changes nothing
        assertThat(t.due(false)).containsExactly(new Report(A, 0));
        assertThat(t.count(A)).isZero();
        assertThat(t.count(B)).isEqualTo(1);
    }

    @Test
    void aConnectionOpenedAndClosedBetweenTwoReportsIsNotReported() {
        ConnectionTable t = new ConnectionTable();
        t.opened(A);
        t.closed(A);
        assertThat(t.due(false)).isEmpty();
    }

    @Test
    void failedReportsAreSentAgain() {
        ConnectionTable t = new ConnectionTable();
        t.opened(A);
        List<Report> first = t.due(false);
        t.failed(first.getFirst());
        assertThat(t.due(false)).containsExactly(new Report(A, 1));
        t.closed(A);
        List<Report> gone = t.due(false);
        assertThat(gone).containsExactly(new Report(A, 0));
        t.failed(gone.getFirst());
        assertThat(t.due(false)).containsExactly(new Report(A, 0));
        assertThat(t.due(false)).isEmpty();
    }
}
