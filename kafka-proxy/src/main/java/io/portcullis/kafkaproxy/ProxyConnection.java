package io.portcullis.kafkaproxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.portcullis.kafkaproxy.api.ApiHandler;
import io.portcullis.kafkaproxy.api.Denial;
import io.portcullis.kafkaproxy.spi.KafkaDecision;
import io.portcullis.kafkaproxy.spi.KafkaFlow;
import io.portcullis.kafkaproxy.spi.KafkaRequestInfo;
import io.portcullis.kafkaproxy.spi.Source;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection and its own upstream connection, both on the same event loop (no locking).
 *
 * <p>Requests: frame → {@link RequestHeader} → {@code AbstractRequest.parseRequest} → topics → policy.
 * Allowed requests are forwarded as their original bytes. Kafka answers in request order on a
 * connection and clients check it, so every request that expects an answer takes a slot in
 * {@link #pending}, and answers leave strictly in slot order whether they come from the broker or
 * from the proxy (a denied request's local answer waits behind earlier forwarded requests).
 *
 * <p>Anything the proxy cannot parse (bad frame size, unknown key, unsupported version, truncated body)
 * closes this connection and its upstream only, as a broker would.
 */
final class ProxyConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyConnection.class);

    /** A request awaiting its answer; {@code ready} is the answer once known. */
    private static final class Pending {
        final int correlationId;
        final ApiKeys key;
        final short version;
        final Consumer<ApiMessage> merge;
        ByteBuf ready;

        Pending(int correlationId, ApiKeys key, short version, Consumer<ApiMessage> merge, ByteBuf ready) {
            this.correlationId = correlationId;
            this.key = key;
            this.version = version;
            this.merge = merge;
            this.ready = ready;
        }
    }

    private final KafkaProxy.Context context;
    private final BrokerRoute route;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private Channel client;
    private Channel upstream;
    private Source source;

    ProxyConnection(KafkaProxy.Context context, BrokerRoute route) {
        this.context = context;
        this.route = route;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        client = ctx.channel();
        source = context.resolver().resolve((InetSocketAddress) client.remoteAddress(), (InetSocketAddress) client.localAddress());
        Bootstrap b = new Bootstrap()
                .group(client.eventLoop())
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(Frames.decoder(), new Upstream());
                    }
                });
        b.connect(route.upstream()).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess() && client.isActive()) {
                upstream = f.channel();
                client.config().setAutoRead(true);
            } else {
                LOG.warn("kafka proxy: cannot reach broker {} for {}: {}", route.upstream(), source, f.cause() == null ? "client gone" : f.cause().toString());
                f.channel().close();
                client.close();
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            onRequest(frame);
        } catch (RuntimeException e) {
            // Parsing failed before the frame was handed on: ours to release.
            frame.release();
            LOG.info("kafka proxy: closing connection from {}: unparseable request: {}", source, e.toString());
            closeBoth();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (upstream != null) {
            upstream.flush();
        }
        client.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateReading();
    }

    /**
     * Backpressure both ways: read the broker only while the client takes answers, and read the
     * client only while both the broker takes requests and the client takes answers (a client that
     * pipelines denied requests without reading their answers is paused, as a broker mutes it).
     */
    private void updateReading() {
        if (upstream == null) {
            return;
        }
        upstream.config().setAutoRead(client.isWritable());
        client.config().setAutoRead(client.isWritable() && upstream.isWritable());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (source != null) {
            context.resolver().closed(source, (InetSocketAddress) client.localAddress());
        }
        closeBoth();
        for (Pending p : pending) {
            if (p.ready != null) {
                p.ready.release();
            }
        }
        pending.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.info("kafka proxy: closing connection from {}: {}", source, cause.toString());
        closeBoth();
    }

    private void onRequest(ByteBuf frame) {
        ByteBuffer buf = frame.nioBuffer(frame.readerIndex() + 4, frame.readableBytes() - 4);
        if (buf.remaining() < 8) {
            throw new InvalidRequestException("request shorter than a header");
        }
        ApiKeys key = ApiKeys.forId(buf.getShort(0));
        short version = buf.getShort(2);
        int correlationId = buf.getInt(4);
        RequestHeader header;
        AbstractRequest request = null;
        if (key == ApiKeys.API_VERSIONS) {
            // Clients may send a newer ApiVersions than we know; the broker answers that itself.
            header = parseHeaderLeniently(buf.duplicate());
        } else {
            header = RequestHeader.parse(buf);
            request = AbstractRequest.parseRequest(key, version, new ByteBufferAccessor(buf)).request;
        }
        ApiHandler handler = context.handlers().forKey(key);
        List<String> topics = request == null ? List.of() : handler.topics(request, context.topicIds());
        KafkaRequestInfo info = new KafkaRequestInfo(key.id, key.name, version, header == null ? "" : header.clientId(), topics);
        KafkaDecision decision = decide(info);
        record(info, decision);

        if (decision.forwards()) {
            if (request == null || handler.expectsResponse(request)) {
                pending.add(new Pending(correlationId, key, version, null, null));
            }
            upstream.write(frame);
            return;
        }
        if (request == null) {
            if (header == null) {
                throw new InvalidRequestException("unparseable ApiVersions header");
            }
            buf.position(header.size());
            request = AbstractRequest.parseRequest(key, version, new ByteBufferAccessor(buf)).request;
        }
        Denial denial = handler.deny(request, decision);
        switch (denial) {
            case Denial.Respond r -> {
                pending.add(new Pending(correlationId, key, version, null, Frames.response(key, version, correlationId, r.response())));
                frame.release();
                flushReady();
            }
            case Denial.Silent s -> frame.release();
            case Denial.ForwardReduced f -> {
                pending.add(new Pending(correlationId, key, version, f.merge(), null));
                upstream.write(Frames.request(header.data(), header.headerVersion(), f.request(), version));
                frame.release();
            }
        }
    }

    private static RequestHeader parseHeaderLeniently(ByteBuffer buf) {
        try {
            return RequestHeader.parse(buf);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private KafkaDecision decide(KafkaRequestInfo info) {
        try {
            KafkaDecision d = context.policy().decide(source, route.upstream(), info);
            if (d == null) {
                return KafkaDecision.denied(Set.of(), Set.of(), "policy gave no decision");
            }
            return d;
        } catch (RuntimeException e) {
            LOG.warn("kafka proxy: policy failed for {} {}; denying", source, info, e);
            return KafkaDecision.denied(Set.of(), Set.of(), "policy error: " + e);
        }
    }

    private void record(KafkaRequestInfo info, KafkaDecision d) {
        // For audit: the topics that would have been refused.
        Set<String> denied = d.outcome() == KafkaDecision.Outcome.ALLOWED ? Set.of()
                : d.deniedTopics().isEmpty() ? Set.copyOf(info.topics()) : d.deniedTopics();
        try {
            context.sink().record(new KafkaFlow(Instant.now(), source, route.upstream(), info.apiKey(), info.apiName(),
                    info.apiVersion(), info.clientId(), info.topics(), d.outcome(), d.policies(), denied, d.reason()));
        } catch (RuntimeException e) {
            LOG.warn("kafka proxy: flow sink failed", e);
        }
    }

    private void onResponse(ByteBuf frame) {
        Pending head = pending.peek();
        int correlationId = frame.getInt(frame.readerIndex() + 4);
        if (head == null || head.ready != null || head.correlationId != correlationId) {
            frame.release();
            LOG.warn("kafka proxy: broker {} answered correlation id {} out of order; closing", route.upstream(), correlationId);
            closeBoth();
            return;
        }
        if (head.merge != null || rewrites(head.key)) {
            try {
                head.ready = rewrite(head, frame);
            } finally {
                frame.release();
            }
        } else {
            head.ready = frame;
        }
        flushReady();
    }

    private static boolean rewrites(ApiKeys key) {
        return key == ApiKeys.METADATA || key == ApiKeys.FIND_COORDINATOR || key == ApiKeys.DESCRIBE_CLUSTER
                || key == ApiKeys.DESCRIBE_TOPIC_PARTITIONS;
    }

    private ByteBuf rewrite(Pending p, ByteBuf frame) {
        ByteBuffer buf = frame.nioBuffer(frame.readerIndex() + 4, frame.readableBytes() - 4);
        ResponseHeader.parse(buf, p.key.responseHeaderVersion(p.version));
        ApiMessage data = AbstractResponse.parseResponse(p.key, new ByteBufferAccessor(buf), p.version).data();
        int unmapped = 0;
        switch (data) {
            case MetadataResponseData m -> {
                m.topics().forEach(t -> context.topicIds().learn(t.topicId(), t.name()));
                unmapped = context.rewriter().rewrite(m);
            }
            case FindCoordinatorResponseData f -> unmapped = context.rewriter().rewrite(f);
            case DescribeClusterResponseData d -> unmapped = context.rewriter().rewrite(d);
            case DescribeTopicPartitionsResponseData d ->
                    d.topics().forEach(t -> context.topicIds().learn(t.topicId(), t.name()));
            default -> { }
        }
        if (unmapped > 0) {
            LOG.warn("kafka proxy: {} broker address(es) in a {} response have no proxy listener; clients will bypass the proxy for them",
                    unmapped, p.key.name);
        }
        if (p.merge != null) {
            p.merge.accept(data);
        }
        return Frames.response(p.key, p.version, p.correlationId, data);
    }

    private void flushReady() {
        while (!pending.isEmpty() && pending.peek().ready != null) {
            client.write(pending.poll().ready);
        }
    }

    private void closeBoth() {
        if (client != null) {
            client.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    /** The upstream side: broker answers, in request order. */
    private final class Upstream extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            onResponse((ByteBuf) msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            client.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            updateReading();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closeBoth();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.info("kafka proxy: upstream {} failed: {}", route.upstream(), cause.toString());
            closeBoth();
        }
    }
}
