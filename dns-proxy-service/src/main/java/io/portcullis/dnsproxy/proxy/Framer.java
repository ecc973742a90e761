package io.portcullis.dnsproxy.proxy;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/** DNS over TCP: messages prefixed by their 2-byte length (RFC 1035 4.2.2), cut out of a byte stream. */
final class Framer {

    private final Consumer<byte[]> message;
    private Buffer pending = Buffer.buffer();

    Framer(Consumer<byte[]> message) {
        this.message = message;
    }

    void feed(Buffer chunk) {
        pending.appendBuffer(chunk);
        int pos = 0;
        while (pending.length() - pos >= 2) {
            int len = pending.getUnsignedShort(pos);
            if (pending.length() - pos - 2 < len) {
                break;
            }
            message.accept(pending.getBytes(pos + 2, pos + 2 + len));
            pos += 2 + len;
        }
        if (pos > 0) {
            pending = pending.getBuffer(pos, pending.length());
        }
    }
}
