package io.portcullis.dnsproxy.proxy;

import io.portcullis.dnsproxy.dns.DnsWire;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One TCP connection to the upstream, kept open and reused for every TCP query (pipelined, matched by
 * message ID), opened again on the next query after the server closes it. Queries in flight when it
 * closes are handed to {@code lost} (the client gets SERVFAIL and retries). Event-loop confined.
 */
final class UpstreamTcp {

    private final NetClient client;
    private final String host;
    private final int port;
    private final BiConsumer<DnsProxy.PendingQuery, byte[]> answer;
    private final Consumer<DnsProxy.PendingQuery> lost;
    private final Pending pending = new Pending();
    private final List<Buffer> queued = new ArrayList<>();
    private NetSocket socket;
    private boolean connecting;

    UpstreamTcp(Vertx vertx, String host, int port, BiConsumer<DnsProxy.PendingQuery, byte[]> answer,
                Consumer<DnsProxy.PendingQuery> lost) {
        this.client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(2000));
        this.host = host;
        this.port = port;
        this.answer = answer;
        this.lost = lost;
    }

    /** False when no ID is free (the caller answers SERVFAIL). */
    boolean send(byte[] packet, DnsProxy.PendingQuery p) {
        int id = pending.add(p);
        if (id < 0) {
            return false;
        }
        DnsWire.setId(packet, id);
        Buffer frame = Buffer.buffer(packet.length + 2).appendUnsignedShort(packet.length).appendBytes(packet);
        if (socket != null) {
            socket.write(frame);
        } else {
            queued.add(frame);
            connect();
        }
        return true;
    }

    void expire(long nowNanos, Consumer<DnsProxy.PendingQuery> expired) {
        pending.expire(nowNanos, expired);
    }

    void close() {
        if (socket != null) {
            socket.close();
        }
        client.close();
    }

    private void connect() {
        if (connecting) {
            return;
        }
        connecting = true;
        client.connect(port, host).onComplete(ar -> {
            connecting = false;
            if (ar.failed()) {
                queued.clear();
                pending.drain(lost);
                return;
            }
            NetSocket s = ar.result();
            socket = s;
            Framer framer = new Framer(msg -> {
                if (msg.length >= DnsWire.HEADER && DnsWire.isResponse(msg)) {
                    DnsProxy.PendingQuery p = pending.take(DnsWire.id(msg));
                    if (p != null) {
                        answer.accept(p, msg);
                    }
                }
            });
            s.handler(framer::feed);
            s.exceptionHandler(e -> s.close());
            s.closeHandler(v -> {
                if (socket == s) {
                    socket = null;
                }
                pending.drain(lost);
            });
            queued.forEach(s::write);
            queued.clear();
        });
    }
}
