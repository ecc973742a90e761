package io.portcullis.dnsproxy.support;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Our own small authoritative server on a loopback port (UDP and TCP), answering from a table of names with
 * loopback addresses. Special names: {@code alias.cilium.io} is a CNAME to {@code target.example.net} (whose
 * addresses are looked up in the table), {@code silent.cilium.io} is never answered; a name with many
 * addresses is truncated over UDP (512 bytes without EDNS). It
 * echoes EDNS0 (an OPT record in the query gets one in the answer) and counts TCP connections.
 */
public final class TestUpstream implements AutoCloseable {

    private static final java.util.regex.Pattern SYNTH = java.util.regex.Pattern.compile(
            "(?:n|special)(\\d{1,9})(?:service\\.api)?\\.cilium\\.io");
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Map<String, String[]> zone = new ConcurrentHashMap<>();
    public final AtomicInteger udpQueries = new AtomicInteger();
    public final AtomicInteger tcpQueries = new AtomicInteger();
    public final AtomicInteger tcpConnections = new AtomicInteger();
    private volatile boolean running = true;

    public TestUpstream() throws IOException {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        tcp = new ServerSocket(0, 50, lo);
        udp = new DatagramSocket(new InetSocketAddress(lo, tcp.getLocalPort()));
        Thread.ofPlatform().daemon().name("upstream-udp").start(this::serveUdp);
        Thread.ofPlatform().daemon().name("upstream-tcp").start(this::acceptTcp);
    }

    public int port() {
        return tcp.getLocalPort();
    }

    /** Sets the addresses of a name (lower case, no trailing dot). */
    public TestUpstream put(String name, String... ips) {
        zone.put(name.toLowerCase(Locale.ROOT), ips);
        return this;
    }

    private void serveUdp() {
        byte[] buf = new byte[65535];
        while (running) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                udpQueries.incrementAndGet();
                byte[] query = java.util.Arrays.copyOf(p.getData(), p.getLength());
                byte[] answer = answer(query, false);
                if (answer != null) {
                    udp.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
                }
            } catch (IOException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    private void acceptTcp() {
        while (running) {
            try {
                Socket s = tcp.accept();
                tcpConnections.incrementAndGet();
                Thread.ofPlatform().daemon().start(() -> serveTcp(s));
            } catch (IOException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    private void serveTcp(Socket s) {
        try (s; DataInputStream in = new DataInputStream(s.getInputStream());
             DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
            while (running) {
                int len = in.readUnsignedShort();
                byte[] query = in.readNBytes(len);
                tcpQueries.incrementAndGet();
                byte[] answer = answer(query, true);
                if (answer != null) {
                    synchronized (out) {
                        out.writeShort(answer.length);
                        out.write(answer);
                        out.flush();
                    }
                }
            }
        } catch (IOException e) {
            // client went away
        }
    }

    private byte[] answer(byte[] query, boolean tcp) {
        Message q;
        try {
            q = new Message(query);
        } catch (IOException e) {
            return null;
        }
        if (q.getQuestion() == null) {
            return null;
        }
        Name qname = q.getQuestion().getName();
        String name = qname.toString(true).toLowerCase(Locale.ROOT);
        if (name.equals("silent.cilium.io")) {
            return null;
        }
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setFlag(Flags.AA);
        if (q.getHeader().getFlag(Flags.RD)) {
            r.getHeader().setFlag(Flags.RD);
        }
        r.addRecord(q.getQuestion(), Section.QUESTION);
        OPTRecord opt = q.getOPT();
        if (opt != null) {
            r.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        }
        Name owner = qname;
        String lookup = name;
        if (name.equals("alias.cilium.io")) {
            Name target = Name.fromConstantString("target.example.net.");
            r.addRecord(new CNAMERecord(owner, DClass.IN, 120, target), Section.ANSWER);
            owner = target;
            lookup = "target.example.net";
        }
        String[] ips = zone.get(lookup);
        java.util.regex.Matcher synth = SYNTH.matcher(lookup);
        if (ips == null && synth.matches()) { // n<i>.cilium.io, special<i>service.api.cilium.io: a fresh address per i (the hold bench)
            int i = Integer.parseInt(synth.group(1));
            ips = new String[] {"127.204." + (i / 250 % 250) + "." + (i % 250 + 1)};
        }
        if (ips == null) {
            r.getHeader().setRcode(Rcode.NXDOMAIN);
            return r.toWire();
        }
        if (q.getQuestion().getType() == Type.A) {
            for (String ip : ips) {
                try {
                    r.addRecord(new ARecord(owner, DClass.IN, 300, InetAddress.getByName(ip)), Section.ANSWER);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        int max = tcp ? 65535 : opt != null ? Math.max(512, opt.getPayloadSize()) : 512;
        return r.toWire(max); // dnsjava sets TC when it has to leave records out
    }

    @Override
    public void close() {
        running = false;
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
        }
    }
}
