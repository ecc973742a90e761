package io.portcullis.dnsproxy.proxy;

import io.portcullis.dnsproxy.dns.DnsWire;
import io.portcullis.dnsproxy.rules.EndpointKey;
import io.portcullis.dnsproxy.rules.RuleDecision;
import io.portcullis.dnsproxy.rules.RulesView;
import io.portcullis.policy.ip.IpAddress;
import io.portcullis.policy.mapstate.Protocol;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.xbill.DNS.Rcode;

/**
 * The DNS proxy: UDP and TCP on one port. Each query is decided from the rules in memory
 * ({@link RulesView}); a denied one gets REFUSED (or NXDOMAIN) with its question, an allowed one is
 * forwarded as it came (new ID only) to the upstream over the transport the client used, and the answer
 * goes back as it came (truncated answers too, so the client retries over TCP), after the {@link Hold} when
 * it carries new addresses. Everything runs on one Vert.x event loop, so the proxy's tables need no locks.
 */
public final class DnsProxy {

    private static final Logger LOG = Logger.getLogger(DnsProxy.class);

    /**
     * @param server      the DNS server's address as policy sees it (the destination of the question)
     * @param serverPort  the destination port as policy sees it
     * @param deniedRcode REFUSED or NXDOMAIN
     */
    public record Settings(String bindHost, int port, String upstreamHost, int upstreamPort, IpAddress server,
                           int serverPort, int deniedRcode, long upstreamTimeoutMs, long minTtlSeconds) {}

    private final Vertx vertx;
    private final Settings settings;
    private final Supplier<RulesView> rules;
    private final Hold hold;
    private final ObservationSink sink;
    private final ProxyStats stats;

    private Context context;
    private DatagramSocket udp;
    private DatagramSocket upstreamUdp;
    private NetServer tcp;
    private UpstreamTcp upstreamTcp;
    private final Pending udpPending = new Pending();
    private long sweepTimer = -1;

    public DnsProxy(Vertx vertx, Settings settings, Supplier<RulesView> rules, Hold hold, ObservationSink sink,
                    ProxyStats stats) {
        this.vertx = vertx;
        this.settings = settings;
        this.rules = rules;
        this.hold = hold;
        this.sink = sink;
        this.stats = stats;
    }

    /** Binds UDP and TCP; completes once both listen. */
    public Future<Void> start() {
        Promise<Void> started = Promise.promise();
        context = vertx.getOrCreateContext();
        context.runOnContext(v -> {
            upstreamTcp = new UpstreamTcp(vertx, settings.upstreamHost(), settings.upstreamPort(), this::onUpstreamAnswer,
                    this::onUpstreamLost);
            // No receive buffer size: Vert.x would also make it the size of the buffer allocated per packet.
            upstreamUdp = vertx.createDatagramSocket(new DatagramSocketOptions().setSendBufferSize(4 << 20));
            upstreamUdp.handler(p -> onUpstreamUdp(p.data().getBytes()));
            udp = vertx.createDatagramSocket(new DatagramSocketOptions().setSendBufferSize(4 << 20).setReuseAddress(true));
            udp.handler(p -> onQuery(p.data().getBytes(), new UdpClient(p.sender()), Protocol.UDP));
            tcp = vertx.createNetServer(new NetServerOptions().setHost(settings.bindHost()).setPort(settings.port())
                    .setTcpNoDelay(true).setReuseAddress(true)
                    .setIdleTimeout(30).setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS)); // idle clients go
            tcp.connectHandler(this::onTcpClient);
            sweepTimer = vertx.setPeriodic(Math.max(50, settings.upstreamTimeoutMs() / 4), t -> sweep());
            upstreamUdp.listen(0, "0.0.0.0".equals(settings.upstreamHost()) ? "0.0.0.0" : localFor(settings.upstreamHost()))
                    .compose(s -> udp.listen(settings.port(), settings.bindHost()))
                    .compose(s -> tcp.listen())
                    .<Void>mapEmpty()
                    .onComplete(started);
        });
        return started.future();
    }

    /** The TCP port bound (the configured one, or the one chosen for port 0). */
    public int tcpPort() {
        return tcp.actualPort();
    }

    public int udpPort() {
        return udp.localAddress().port();
    }

    public Future<Void> stop() {
        Promise<Void> stopped = Promise.promise();
        if (context == null) {
            return Future.succeededFuture();
        }
        context.runOnContext(v -> {
            vertx.cancelTimer(sweepTimer);
            upstreamTcp.close();
            Future.join(udp.close(), upstreamUdp.close(), tcp.close()).<Void>mapEmpty().onComplete(stopped);
        });
        return stopped.future();
    }

    private static String localFor(String upstreamHost) {
        return upstreamHost.startsWith("127.") ? "127.0.0.1" : "0.0.0.0";
    }

    // ---- clients ----------------------------------------------------------------------------------------

    /** Where an answer goes back to. */
    sealed interface Client permits UdpClient, TcpClient {}

    record UdpClient(SocketAddress address) implements Client {}

    static final class TcpClient implements Client {
        final NetSocket socket;
        final SocketAddress address;
        boolean closed;

        TcpClient(NetSocket socket) {
            this.socket = socket;
            this.address = socket.remoteAddress();
        }
    }

    private void onTcpClient(NetSocket socket) {
        TcpClient client = new TcpClient(socket);
        Framer framer = new Framer(msg -> onQuery(msg, client, Protocol.TCP));
        socket.handler(framer::feed);
        socket.closeHandler(v -> client.closed = true);
        socket.exceptionHandler(e -> socket.close());
    }

    private void reply(Client client, byte[] answer) {
        stats.answered.increment();
        switch (client) {
            case UdpClient u -> udp.send(Buffer.buffer(answer), u.address().port(), u.address().host());
            case TcpClient t -> {
                if (!t.closed) {
                    t.socket.write(Buffer.buffer(answer.length + 2).appendUnsignedShort(answer.length).appendBytes(answer));
                }
            }
        }
    }

    private static String host(Client client) {
        return switch (client) {
            case UdpClient u -> u.address().hostAddress();
            case TcpClient t -> t.address.hostAddress();
        };
    }

    // ---- queries ----------------------------------------------------------------------------------------

    private void onQuery(byte[] packet, Client client, Protocol protocol) {
        stats.queries.increment();
        DnsWire.Query q = DnsWire.parseQuery(packet);
        if (q == null) {
            stats.malformed.increment();
            byte[] reject = DnsWire.reject(packet);
            if (reject != null) {
                reply(client, reject);
            }
            return;
        }
        RuleDecision d;
        try {
            IpAddress source = IpAddress.parse(host(client));
            d = rules.get().decide(source, settings.server(), settings.serverPort(), protocol, q.name());
        } catch (RuntimeException e) {
            LOG.warnf(e, "deciding %s failed", q.name());
            stats.servfail.increment();
            reply(client, DnsWire.answer(q, Rcode.SERVFAIL));
            return;
        }
        if (!d.allowed()) {
            if (d.outcome() == RuleDecision.Outcome.UNKNOWN_SOURCE) {
                stats.unknownSource.increment();
            } else {
                stats.denied.increment();
            }
            if (LOG.isDebugEnabled()) {
                LOG.debugf("denied %s from %s: %s", q.name(), host(client), d.reason());
            }
            reply(client, DnsWire.answer(q, d.outcome() == RuleDecision.Outcome.UNKNOWN_SOURCE ? Rcode.REFUSED
                    : settings.deniedRcode()));
            return;
        }
        stats.allowed.increment();
        PendingQuery p = new PendingQuery(client, q, d.endpoint(), System.nanoTime() + settings.upstreamTimeoutMs() * 1_000_000);
        if (protocol == Protocol.TCP) {
            if (!upstreamTcp.send(packet, p)) {
                servfail(p);
            }
            return;
        }
        int id = udpPending.add(p);
        if (id < 0) {
            servfail(p);
            return;
        }
        byte[] out = DnsWire.forUdp(packet, q);
        DnsWire.setId(out, id);
        upstreamUdp.send(Buffer.buffer(out), settings.upstreamPort(), settings.upstreamHost());
    }

    /** A query forwarded upstream, waiting for its answer. */
    record PendingQuery(Client client, DnsWire.Query query, EndpointKey endpoint, long deadlineNanos) {}

    private void onUpstreamUdp(byte[] answer) {
        if (answer.length < DnsWire.HEADER || !DnsWire.isResponse(answer)) {
            return;
        }
        PendingQuery p = udpPending.take(DnsWire.id(answer));
        if (p != null) {
            onUpstreamAnswer(p, answer);
        }
    }

    private void onUpstreamAnswer(PendingQuery p, byte[] answer) {
        DnsWire.setId(answer, p.query().id());
        DnsWire.Learned learned = learnedFrom(answer);
        if (learned == null || p.endpoint() == null) {
            reply(p.client(), answer);
            return;
        }
        stats.learned.increment();
        RulesView view = rules.get();
        if (view != lastView) { // endpoints may have gone: forget what was kept for them
            lastView = view;
            hold.retain(view.endpoints());
            sink.retain(view.endpoints());
        }
        sink.observed(p.endpoint(), learned);
        if (!view.fqdnSelected(learned.name())) {
            // No toFQDNs selector here selects the name: its addresses get no FQDN identity a map here waits
            // for, so holding could only time out.
            stats.holdUnselected.increment();
            reply(p.client(), answer);
            return;
        }
        hold.hold(p.endpoint(), learned.ips(), () -> reply(p.client(), answer));
    }

    private RulesView lastView;

    /** Answers that repeat byte for byte (but for the ID) teach the same: parsed once. */
    private static final int LEARN_MEMO_LIMIT = 10_000;
    private static final DnsWire.Learned NOTHING = new DnsWire.Learned("", java.util.List.of(), 0);
    private final java.util.Map<AnswerBytes, DnsWire.Learned> learnMemo = new java.util.HashMap<>();

    private record AnswerBytes(byte[] bytes, int hash) {
        static AnswerBytes of(byte[] answer) {
            return new AnswerBytes(answer, java.util.Arrays.hashCode(java.util.Arrays.copyOfRange(answer, 2, answer.length)));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AnswerBytes a && a.hash == hash
                    && java.util.Arrays.equals(a.bytes, 2, a.bytes.length, bytes, 2, bytes.length);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private DnsWire.Learned learnedFrom(byte[] answer) {
        AnswerBytes key = AnswerBytes.of(answer);
        DnsWire.Learned l = learnMemo.get(key);
        if (l == null) {
            try {
                l = DnsWire.learn(answer, settings.minTtlSeconds());
            } catch (RuntimeException e) {
                l = null;
            }
            if (learnMemo.size() >= LEARN_MEMO_LIMIT) {
                learnMemo.clear();
            }
            learnMemo.put(AnswerBytes.of(answer.clone()), l == null ? NOTHING : l);
        }
        return l == NOTHING ? null : l;
    }

    private void onUpstreamLost(PendingQuery p) {
        servfail(p);
    }

    private void servfail(PendingQuery p) {
        stats.servfail.increment();
        reply(p.client(), DnsWire.answer(p.query(), Rcode.SERVFAIL));
    }

    private void sweep() {
        long now = System.nanoTime();
        udpPending.expire(now, p -> {
            stats.upstreamTimeouts.increment();
            servfail(p);
        });
        upstreamTcp.expire(now, p -> {
            stats.upstreamTimeouts.increment();
            servfail(p);
        });
    }
}
