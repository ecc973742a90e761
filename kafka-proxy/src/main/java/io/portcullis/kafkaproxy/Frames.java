package io.portcullis.kafkaproxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.nio.ByteOrder;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/** Size-prefixed Kafka frames built with the generated message classes (header version per API and version). */
final class Frames {

    /** Largest frame accepted from either side (the broker's default socket.request.max.bytes). */
    static final int MAX_FRAME = 100 * 1024 * 1024;

    private Frames() {}

    /** Splits a stream into frames that keep their 4-byte size prefix (forwarded as is); an oversize or negative size fails at once. */
    static LengthFieldBasedFrameDecoder decoder() {
        return new LengthFieldBasedFrameDecoder(ByteOrder.BIG_ENDIAN, MAX_FRAME, 0, 4, 0, 0, true);
    }

    static ByteBuf response(ApiKeys key, short version, int correlationId, ApiMessage body) {
        short headerVersion = key.responseHeaderVersion(version);
        return frame(new ResponseHeaderData().setCorrelationId(correlationId), headerVersion, body, version);
    }

    static ByteBuf request(RequestHeaderData header, short headerVersion, ApiMessage body, short version) {
        return frame(header, headerVersion, body, version);
    }

    private static ByteBuf frame(ApiMessage header, short headerVersion, ApiMessage body, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + body.size(cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(4 + size);
        ByteBufferAccessor out = new ByteBufferAccessor(buffer);
        out.writeInt(size);
        header.write(out, cache, headerVersion);
        body.write(out, cache, version);
        buffer.flip();
        return Unpooled.wrappedBuffer(buffer);
    }
}
