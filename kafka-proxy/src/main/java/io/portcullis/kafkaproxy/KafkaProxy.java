package io.portcullis.kafkaproxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.portcullis.kafkaproxy.api.ApiHandlers;
import io.portcullis.kafkaproxy.spi.FlowSink;
import io.portcullis.kafkaproxy.spi.KafkaPolicy;
import io.portcullis.kafkaproxy.spi.SourceResolver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The Kafka-aware L7 proxy: one listener per upstream broker ({@link BrokerRoute}), each client
 * connection proxied to its broker over a connection of its own, every request decided by
 * {@link KafkaPolicy}, every decision recorded to {@link FlowSink}.
 *
 * <p>Lifecycle: construct, {@link #start()} (binds every listener, returns the bound routes), then
 * {@link #close()} (stops accepting, closes every connection, stops the I/O threads). Not restartable.
 */
public final class KafkaProxy implements AutoCloseable {

    /** What every connection shares. */
    record Context(SourceResolver resolver, KafkaPolicy policy, FlowSink sink, ApiHandlers handlers, TopicIds topicIds,
                   AddressRewriter rewriter) {}

    private final List<BrokerRoute> routes;
    private final SourceResolver resolver;
    private final KafkaPolicy policy;
    private final FlowSink sink;
    private final EventLoopGroup group;
    private final List<Channel> servers = new ArrayList<>();
    private List<BrokerRoute> bound = List.of();

    /**
     * @param routes    one per upstream broker; a port-0 listen address gets a free port
     * @param resolver  names the source of each accepted connection
     * @param policy    decides every request (on an I/O thread: must not block)
     * @param sink      receives a flow record per decision (on an I/O thread: must not block)
     * @param ioThreads event-loop threads shared by all listeners and connections (1–2 is plenty)
     */
    public KafkaProxy(List<BrokerRoute> routes, SourceResolver resolver, KafkaPolicy policy, FlowSink sink, int ioThreads) {
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("at least one broker route");
        }
        this.routes = List.copyOf(routes);
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.group = new NioEventLoopGroup(ioThreads, new DefaultThreadFactory("kafka-proxy", true));
    }

    /**
     * Binds every listener. Accepting starts only once all are bound, so the first response already
     * carries every listener's real port.
     *
     * @return the routes with their bound listen addresses, in the given order
     */
    public synchronized List<BrokerRoute> start() throws InterruptedException {
        if (!servers.isEmpty()) {
            throw new IllegalStateException("already started");
        }
        List<BrokerRoute> result = new ArrayList<>();
        Context[] context = new Context[1];
        try {
            for (BrokerRoute route : routes) {
                int index = result.size();
                ServerBootstrap b = new ServerBootstrap()
                        .group(group)
                        .channel(NioServerSocketChannel.class)
                        .option(ChannelOption.AUTO_READ, false)
                        .childOption(ChannelOption.AUTO_READ, false)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline().addLast(Frames.decoder(),
                                        new ProxyConnection(context[0], result.get(index)));
                            }
                        });
                Channel server = b.bind(route.listen()).sync().channel();
                servers.add(server);
                result.add(new BrokerRoute((InetSocketAddress) server.localAddress(), route.upstream()));
            }
        } catch (InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
        TopicIds ids = new TopicIds();
        context[0] = new Context(resolver, policy, sink, new ApiHandlers(ids), ids, new AddressRewriter(result));
        bound = List.copyOf(result);
        for (Channel server : servers) {
            server.config().setAutoRead(true);
        }
        return bound;
    }

    /** The bound routes (empty before {@link #start()}). */
    public synchronized List<BrokerRoute> routes() {
        return bound;
    }

    @Override
    public synchronized void close() {
        for (Channel s : servers) {
            s.close().awaitUninterruptibly();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
