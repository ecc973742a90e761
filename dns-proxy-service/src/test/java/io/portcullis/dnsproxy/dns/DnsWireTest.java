package io.portcullis.dnsproxy.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class DnsWireTest {

    static Message answer(String qname, int rcode, Record... records) {
        Message m = Message.newQuery(Record.newRecord(Name.fromConstantString(qname), Type.A, DClass.IN));
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setRcode(rcode);
        for (Record r : records) {
            m.addRecord(r, Section.ANSWER);
        }
        return m;
    }

    static Record a(String name, long ttl, String ip) throws Exception {
        return new ARecord(Name.fromConstantString(name), DClass.IN, ttl, InetAddress.getByName(ip));
    }

    static Record cname(String name, long ttl, String target) {
        return new CNAMERecord(Name.fromConstantString(name), DClass.IN, ttl, Name.fromConstantString(target));
    }

    @Test
    void learnsEveryAddressOfTheNameAlongItsCnameChainWithTheMinimumTtl() throws Exception {
        // Chain out of order: www → edge → host; an unrelated A record is not tied to the name.
        Message m = answer("WWW.Example.com.", Rcode.NOERROR,
                a("host.cdn.net.", 300, "127.1.1.1"),
                cname("www.example.com.", 60, "edge.cdn.net."),
                cname("edge.cdn.net.", 120, "host.cdn.net."),
                new AAAARecord(Name.fromConstantString("host.cdn.net."), DClass.IN, 200, InetAddress.getByName("::1")),
                a("other.net.", 30, "127.9.9.9"));
        DnsWire.Learned l = DnsWire.learn(m.toWire(), 0);
        assertThat(l.name()).isEqualTo("www.example.com");
        assertThat(l.ips()).containsExactly("127.1.1.1", "::1");
        assertThat(l.ttlSeconds()).isEqualTo(30);
    }

    @Test
    void ttlIsRaisedToTheMinimumAndOnlyNoErrorAnswersWithAddressesTeach() throws Exception {
        assertThat(DnsWire.learn(answer("a.test.", Rcode.NOERROR, a("a.test.", 5, "127.0.0.5")).toWire(), 60).ttlSeconds())
                .isEqualTo(60);
        assertThat(DnsWire.learn(answer("a.test.", Rcode.NXDOMAIN).toWire(), 0)).isNull();
        assertThat(DnsWire.learn(answer("a.test.", Rcode.NOERROR).toWire(), 0)).isNull();
        assertThat(DnsWire.learn(new byte[] {1, 2, 3}, 0)).isNull();
    }

    @Test
    void deniedAnswersEchoTheQuestionAndId() throws Exception {
        Message q = Message.newQuery(Record.newRecord(Name.fromConstantString("example.com."), Type.AAAA, DClass.IN));
        DnsWire.Query parsed = DnsWire.parseQuery(q.toWire());
        assertThat(parsed.name()).isEqualTo("example.com");
        Message r = new Message(DnsWire.answer(parsed, Rcode.REFUSED));
        assertThat(r.getHeader().getID()).isEqualTo(q.getHeader().getID());
        assertThat(r.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(r.getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(r.getQuestion()).isEqualTo(q.getQuestion());
    }

    /** Packets that get no decision: what comes back for each. */
    @Test
    void packetsWithoutADecidableQuestionGetFormerrNotimpOrNothing() throws Exception {
        Message twoQuestions = Message.newQuery(Record.newRecord(Name.fromConstantString("a.test."), Type.A, DClass.IN));
        twoQuestions.addRecord(Record.newRecord(Name.fromConstantString("b.test."), Type.A, DClass.IN), Section.QUESTION);
        Message notify = Message.newQuery(Record.newRecord(Name.fromConstantString("a.test."), Type.SOA, DClass.IN));
        notify.getHeader().setOpcode(Opcode.NOTIFY);
        Message response = answer("a.test.", Rcode.NOERROR);
        byte[] truncated = java.util.Arrays.copyOf(Message.newQuery(Record.newRecord(Name.fromConstantString("a.test."),
                Type.A, DClass.IN)).toWire(), 14);
        record Row(String what, byte[] packet, Integer rcode) {}
        for (Row row : List.of(
                new Row("two questions", twoQuestions.toWire(), Rcode.FORMERR),
                new Row("NOTIFY", notify.toWire(), Rcode.NOTIMP),
                new Row("cut in the question", truncated, Rcode.FORMERR),
                new Row("a response", response.toWire(), null),
                new Row("shorter than a header", new byte[5], null))) {
            assertThat(DnsWire.parseQuery(row.packet())).as(row.what()).isNull();
            byte[] reject = DnsWire.reject(row.packet());
            if (row.rcode() == null) {
                assertThat(reject).as(row.what()).isNull();
            } else {
                Message m = new Message(reject);
                assertThat(m.getRcode()).as(row.what()).isEqualTo(row.rcode());
                assertThat(m.getHeader().getID()).isEqualTo(DnsWire.id(row.packet()));
            }
        }
    }

    @Test
    void ednsIsForwardedAndOnlyAPayloadSizeAboveWhatTheProxyReceivesIsLowered() throws Exception {
        for (int advertised : new int[] {512, 1232, 2048, 4096, 65535}) {
            Message q = Message.newQuery(Record.newRecord(Name.fromConstantString("a.test."), Type.A, DClass.IN));
            q.addRecord(new org.xbill.DNS.OPTRecord(advertised, 0, 0, org.xbill.DNS.ExtendedFlags.DO), Section.ADDITIONAL);
            byte[] wire = q.toWire();
            byte[] out = DnsWire.forUdp(wire, DnsWire.parseQuery(wire));
            Message m = new Message(out);
            assertThat(m.getOPT().getPayloadSize()).isEqualTo(Math.min(advertised, DnsWire.MAX_UDP));
            assertThat(m.getOPT().getFlags()).as("DO kept").isEqualTo(org.xbill.DNS.ExtendedFlags.DO);
            if (advertised <= DnsWire.MAX_UDP) {
                assertThat(out).isSameAs(wire);
            }
        }
    }
}
