package io.portcullis.kafkaproxy;

import io.netty.buffer.ByteBuf;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * A raw Kafka connection from a chosen loopback source address, speaking the protocol through
 * kafka-clients' message classes, so tests control versions, pipelining and malformed frames.
 */
final class WireClient implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextCorrelationId = 1;

    WireClient(InetSocketAddress proxy, String sourceIp) throws IOException {
        socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(sourceIp), 0));
        socket.connect(proxy, 5_000);
        socket.setSoTimeout(15_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends one request; returns its header (to read the answer with). */
    RequestHeader send(ApiMessage body, short version) throws IOException {
        ApiKeys key = ApiKeys.forId(body.apiKey());
        RequestHeader header = new RequestHeader(key, version, "wire-test", nextCorrelationId++);
        ByteBuf frame = Frames.request(header.data(), header.headerVersion(), body, version);
        try {
            byte[] bytes = new byte[frame.readableBytes()];
            frame.readBytes(bytes);
            out.write(bytes);
            out.flush();
        } finally {
            frame.release();
        }
        return header;
    }

    /** Reads the next answer, which must be the one for {@code header}. */
    AbstractResponse receive(RequestHeader header) throws IOException {
        int size = in.readInt();
        byte[] bytes = new byte[size];
        in.readFully(bytes);
        return AbstractResponse.parseResponse(ByteBuffer.wrap(bytes), header);
    }

    AbstractResponse call(ApiMessage body, short version) throws IOException {
        return receive(send(body, version));
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** -1 when the proxy closed the connection. */
    int read() throws IOException {
        return in.read();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
