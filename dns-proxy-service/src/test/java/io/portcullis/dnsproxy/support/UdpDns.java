package io.portcullis.dnsproxy.support;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** A minimal DNS-over-UDP client with a chosen source address (the proxy identifies endpoints by it). */
public final class UdpDns implements AutoCloseable {

    private final DatagramSocket socket;
    private final InetSocketAddress proxy;

    public UdpDns(String source, int proxyPort) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(source), 0));
        proxy = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), proxyPort);
    }

    public static byte[] query(String name) {
        return Message.newQuery(Record.newRecord(Name.fromConstantString(name + "."), Type.A, DClass.IN)).toWire();
    }

    public void send(byte[] packet) throws IOException {
        socket.send(new DatagramPacket(packet, packet.length, proxy));
    }

    /** Sends {@code name} and waits for the answer with the same ID (up to {@code timeoutMs}), or null. */
    public Message ask(String name, int timeoutMs) throws IOException {
        byte[] q = query(name);
        send(q);
        long deadline = System.currentTimeMillis() + timeoutMs;
        byte[] buf = new byte[65535];
        while (System.currentTimeMillis() < deadline) {
            socket.setSoTimeout((int) Math.max(1, deadline - System.currentTimeMillis()));
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            if (p.getLength() >= 2 && buf[0] == q[0] && buf[1] == q[1]) {
                return new Message(Arrays.copyOf(buf, p.getLength()));
            }
        }
        return null;
    }

    @Override
    public void close() {
        socket.close();
    }
}
