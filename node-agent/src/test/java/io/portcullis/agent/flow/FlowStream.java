package io.portcullis.agent.flow;

import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.flow.FlowRecord;
import io.restassured.RestAssured;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real SSE reader of {@code GET /v1/flows}: the JDK's HTTP client reading the event stream. It asks for
 * the recent flows too ({@code last}) and keeps those decided since it was opened, so nothing is missed
 * while the subscription is being set up.
 */
public final class FlowStream implements AutoCloseable {

    private final Instant opened = Instant.now();
    private final BlockingQueue<FlowRecord> queue = new LinkedBlockingQueue<>();
    private final InputStream body;
    private final Thread reader;
    private volatile int status;

    private FlowStream(String query) {
        try {
            HttpClient http = HttpClient.newHttpClient();
            String uri = RestAssured.baseURI + ":" + RestAssured.port + "/v1/flows?last=1024"
                    + (query.isEmpty() ? "" : "&" + query);
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(uri))
                    .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            status = r.statusCode();
            body = r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        reader = Thread.ofVirtual().start(this::read);
    }

    public static FlowStream open(String query) {
        return new FlowStream(query);
    }

    public int status() {
        return status;
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("data:")) {
                    FlowRecord f = MeshJson.decode(line.substring(5).trim().getBytes(StandardCharsets.UTF_8),
                            FlowRecord.class, 1);
                    if (!Instant.parse(f.time()).isBefore(opened)) {
                        queue.add(f);
                    }
                }
            }
        } catch (IOException ignored) { // closed by close()
        }
    }

    /** The next {@code n} flows, waiting at most 15 s in all. */
    public List<FlowRecord> take(int n) {
        List<FlowRecord> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        try {
            while (out.size() < n) {
                FlowRecord f = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (f == null) {
                    throw new AssertionError("expected " + n + " flows, got " + out);
                }
                out.add(f);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return out;
    }

    /** Flows that arrived so far beyond those taken, waiting {@code millis} for late ones. */
    public List<FlowRecord> drain(long millis) throws InterruptedException {
        Thread.sleep(millis);
        List<FlowRecord> out = new ArrayList<>();
        queue.drainTo(out);
        return out;
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException ignored) {
        }
        reader.interrupt();
    }
}
