package io.portcullis.dnsproxy.dns;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The DNS wire format, as far as the proxy needs it. Queries and answers are forwarded as the bytes that
 * came (only the message ID is rewritten), so EDNS0, flags and the truncation bit pass unchanged; dnsjava
 * parses them to read the question and to learn addresses, and builds the answers the proxy makes itself.
 */
public final class DnsWire {

    public static final int HEADER = 12;

    /**
     * The largest UDP answer the proxy takes from the upstream (Vert.x/Netty's fixed receive buffer): an
     * EDNS0 query advertising more is forwarded advertising this, so a bigger answer comes truncated and the
     * client retries over TCP instead of getting a cut datagram.
     */
    public static final int MAX_UDP = 2048;

    private DnsWire() {}

    /** A query the proxy can decide: one question in a standard query. */
    public record Query(int id, String name, int type, Record question, boolean recursionDesired, Message message) {}

    /** The parsed query, or null when the packet gets no decision (see {@link #reject}). */
    public static Query parseQuery(byte[] packet) {
        if (packet.length < HEADER || isResponse(packet) || opcode(packet) != Opcode.QUERY || qdCount(packet) != 1) {
            return null;
        }
        try {
            Message m = new Message(packet);
            Record q = m.getQuestion();
            if (q == null) {
                return null;
            }
            return new Query(m.getHeader().getID(), q.getName().toString(true), q.getType(), q, m.getHeader().getFlag(Flags.RD), m);
        } catch (IOException | RuntimeException e) { // dnsjava reports malformed input either way
            return null;
        }
    }

    /**
     * What to answer a packet {@link #parseQuery} could not decide: a header-only FORMERR (NOTIMP for
     * another opcode) echoing the ID, or null (drop) when it is no query or too short to answer.
     */
    public static byte[] reject(byte[] packet) {
        if (packet.length < HEADER || isResponse(packet)) {
            return null;
        }
        int rcode = opcode(packet) != Opcode.QUERY ? Rcode.NOTIMP : Rcode.FORMERR;
        byte[] out = new byte[HEADER];
        out[0] = packet[0];
        out[1] = packet[1];
        out[2] = (byte) (0x80 | (packet[2] & 0x79)); // QR, keep opcode and RD
        out[3] = (byte) rcode;
        return out;
    }

    /** An answer the proxy makes itself (REFUSED, NXDOMAIN, SERVFAIL) with the question echoed. */
    public static byte[] answer(Query q, int rcode) {
        Message m = new Message(q.id());
        m.getHeader().setFlag(Flags.QR);
        if (q.recursionDesired()) {
            m.getHeader().setFlag(Flags.RD);
            m.getHeader().setFlag(Flags.RA);
        }
        m.getHeader().setRcode(rcode);
        m.addRecord(q.question(), Section.QUESTION);
        return m.toWire();
    }

    /** The query to forward over UDP: as it came, unless its EDNS0 payload size exceeds {@link #MAX_UDP}. */
    public static byte[] forUdp(byte[] packet, Query q) {
        OPTRecord opt = q.message().getOPT();
        if (opt == null || opt.getPayloadSize() <= MAX_UDP) {
            return packet;
        }
        Message m = q.message().clone();
        m.removeRecord(opt, Section.ADDITIONAL);
        m.addRecord(new OPTRecord(MAX_UDP, opt.getExtendedRcode(), opt.getVersion(), opt.getFlags(), opt.getOptions()),
                Section.ADDITIONAL);
        return m.toWire();
    }

    public static int id(byte[] packet) {
        return ((packet[0] & 0xff) << 8) | (packet[1] & 0xff);
    }

    public static void setId(byte[] packet, int id) {
        packet[0] = (byte) (id >>> 8);
        packet[1] = (byte) id;
    }

    public static boolean isResponse(byte[] packet) {
        return (packet[2] & 0x80) != 0;
    }

    private static int opcode(byte[] packet) {
        return (packet[2] >>> 3) & 0x0f;
    }

    private static int qdCount(byte[] packet) {
        return ((packet[4] & 0xff) << 8) | (packet[5] & 0xff);
    }

    /** Addresses an answer ties to its question name. */
    public record Learned(String name, List<String> ips, long ttlSeconds) {}

    /**
     * From a NOERROR answer: every A/AAAA address of the question name, following the CNAME chain (so the
     * addresses of the chain's end count for the name asked); TTL = the minimum over the answer records,
     * raised to {@code minTtlSeconds}. Null when the answer teaches nothing (another rcode, no address,
     * unparseable).
     */
    public static Learned learn(byte[] response, long minTtlSeconds) {
        Message m;
        try {
            m = new Message(response);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        Record q = m.getQuestion();
        if (q == null || m.getRcode() != Rcode.NOERROR) {
            return null;
        }
        List<Record> answers = m.getSection(Section.ANSWER);
        Set<Name> chain = new HashSet<>();
        chain.add(q.getName());
        boolean grew = true;
        while (grew) { // answers need not be in chain order
            grew = false;
            for (Record r : answers) {
                if (r instanceof CNAMERecord c && chain.contains(c.getName()) && chain.add(c.getTarget())) {
                    grew = true;
                }
            }
        }
        Set<String> ips = new LinkedHashSet<>();
        long ttl = Long.MAX_VALUE;
        for (Record r : answers) {
            ttl = Math.min(ttl, r.getTTL());
            if (!chain.contains(r.getName())) {
                continue;
            }
            if (r instanceof ARecord a) {
                ips.add(a.getAddress().getHostAddress());
            } else if (r instanceof AAAARecord a) {
                ips.add(io.portcullis.policy.ip.IpAddress.of(a.getAddress()).toString());
            }
        }
        if (ips.isEmpty()) {
            return null;
        }
        return new Learned(q.getName().toString(true).toLowerCase(java.util.Locale.ROOT), new ArrayList<>(ips),
                Math.max(ttl, minTtlSeconds));
    }
}
