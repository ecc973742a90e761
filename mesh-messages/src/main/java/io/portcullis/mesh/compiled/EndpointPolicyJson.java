package io.portcullis.mesh.compiled;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The topic encoding of {@link EndpointPolicyRecord} (registered in {@code MeshJson} only; REST answers keep
 * the plain record shape). Schema 2 writes {@code entries} as a table instead of one object per entry, because
 * a map at full size has thousands of entries that differ only in identity and port:
 * <pre>
 * "entries": {"kinds": [{"direction":"INGRESS","protocol":"TCP","deny":false,"proxy":"NONE","derivedFrom":["ns/p"]}, ...],
 *             "rows":  [identity, port, prefixLen, kindIndex,  identity, port, prefixLen, kindIndex, ...]}
 * </pre>
 * Rows keep the entries' order. About a tenth of the bytes of schema 1, and the reader shares one
 * {@code derivedFrom} list per kind. The reader still accepts schema 1's array of entry objects.
 */
public final class EndpointPolicyJson {

    private EndpointPolicyJson() {}

    public static SimpleModule module() {
        SimpleModule m = new SimpleModule("endpoint-policy-record");
        m.addSerializer(EndpointPolicyRecord.class, new Writer());
        m.addDeserializer(EndpointPolicyRecord.class, new Reader());
        return m;
    }

    /** The part of an entry that many entries share. */
    private record Kind(String direction, String protocol, boolean deny, String proxy, List<String> derivedFrom) {

        @Override
        public int hashCode() { // once per entry when writing: plain arithmetic, not the generic record hash
            return ((Objects.hashCode(direction) * 31 + Objects.hashCode(protocol)) * 31 + Objects.hashCode(proxy)) * 31
                    + derivedFrom.hashCode() + (deny ? 1 : 0);
        }
    }

    static final class Writer extends JsonSerializer<EndpointPolicyRecord> {
        @Override
        public void serialize(EndpointPolicyRecord r, JsonGenerator g, SerializerProvider sp) throws IOException {
            g.writeStartObject();
            g.writeNumberField("schemaVersion", r.schemaVersion());
            writeString(g, "node", r.node());
            writeString(g, "endpoint", r.endpoint());
            g.writeNumberField("identity", r.identity());
            g.writeNumberField("revision", r.revision());
            if (r.entries() != null) {
                g.writeFieldName("entries");
                writeEntries(r.entries(), g);
            }
            if (r.ingress() != null) {
                sp.defaultSerializeField("ingress", r.ingress(), g);
            }
            if (r.egress() != null) {
                sp.defaultSerializeField("egress", r.egress(), g);
            }
            if (r.auditPolicies() != null) {
                sp.defaultSerializeField("auditPolicies", r.auditPolicies(), g);
            }
            g.writeEndObject();
        }

        private static void writeString(JsonGenerator g, String name, String value) throws IOException {
            if (value != null) {
                g.writeStringField(name, value);
            }
        }

        private static void writeEntries(List<EndpointPolicyRecord.Entry> entries, JsonGenerator g) throws IOException {
            Map<Kind, Integer> kinds = new HashMap<>();
            List<Kind> order = new ArrayList<>();
            int[] kindOf = new int[entries.size()];
            for (int i = 0; i < entries.size(); i++) {
                EndpointPolicyRecord.Entry e = entries.get(i);
                Kind k = new Kind(e.direction(), e.protocol(), e.deny(), e.proxy(),
                        e.derivedFrom() == null ? List.of() : e.derivedFrom());
                Integer idx = kinds.get(k);
                if (idx == null) {
                    idx = order.size();
                    kinds.put(k, idx);
                    order.add(k);
                }
                kindOf[i] = idx;
            }
            g.writeStartObject();
            g.writeArrayFieldStart("kinds");
            for (Kind k : order) {
                g.writeStartObject();
                g.writeStringField("direction", k.direction());
                g.writeStringField("protocol", k.protocol());
                g.writeBooleanField("deny", k.deny());
                g.writeStringField("proxy", k.proxy());
                g.writeArrayFieldStart("derivedFrom");
                for (String s : k.derivedFrom()) {
                    g.writeString(s);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("rows");
            for (int i = 0; i < entries.size(); i++) {
                EndpointPolicyRecord.Entry e = entries.get(i);
                g.writeNumber(e.identity());
                g.writeNumber(e.port());
                g.writeNumber(e.prefixLen());
                g.writeNumber(kindOf[i]);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    static final class Reader extends JsonDeserializer<EndpointPolicyRecord> {
        @Override
        public EndpointPolicyRecord deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                return (EndpointPolicyRecord) ctxt.handleUnexpectedToken(EndpointPolicyRecord.class, p);
            }
            int schemaVersion = 0;
            String node = null;
            String endpoint = null;
            long identity = 0;
            long revision = 0;
            List<EndpointPolicyRecord.Entry> entries = null;
            EndpointPolicyRecord.Direction ingress = null;
            EndpointPolicyRecord.Direction egress = null;
            List<String> audit = null;
            JavaType entryList = ctxt.getTypeFactory().constructCollectionType(List.class, EndpointPolicyRecord.Entry.class);
            JavaType stringList = ctxt.getTypeFactory().constructCollectionType(List.class, String.class);
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                JsonToken t = p.nextToken();
                if (t == JsonToken.VALUE_NULL) {
                    continue;
                }
                switch (field) {
                    case "schemaVersion" -> schemaVersion = p.getValueAsInt();
                    case "node" -> node = p.getValueAsString();
                    case "endpoint" -> endpoint = p.getValueAsString();
                    case "identity" -> identity = p.getValueAsLong();
                    case "revision" -> revision = p.getValueAsLong();
                    case "entries" -> entries = t == JsonToken.START_OBJECT ? readTable(p, ctxt)
                            : ctxt.readValue(p, entryList);
                    case "ingress" -> ingress = ctxt.readValue(p, EndpointPolicyRecord.Direction.class);
                    case "egress" -> egress = ctxt.readValue(p, EndpointPolicyRecord.Direction.class);
                    case "auditPolicies" -> audit = ctxt.readValue(p, stringList);
                    default -> p.skipChildren(); // a newer writer's field
                }
            }
            return new EndpointPolicyRecord(schemaVersion, node, endpoint, identity, revision,
                    entries == null ? List.of() : entries, ingress, egress, audit);
        }

        private static List<EndpointPolicyRecord.Entry> readTable(JsonParser p, DeserializationContext ctxt)
                throws IOException {
            List<Kind> kinds = List.of();
            List<EndpointPolicyRecord.Entry> entries = new ArrayList<>();
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                JsonToken t = p.nextToken();
                if ("kinds".equals(field) && t == JsonToken.START_ARRAY) {
                    kinds = readKinds(p, ctxt);
                } else if ("rows".equals(field) && t == JsonToken.START_ARRAY) {
                    long[] row = new long[4];
                    int i = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        row[i++] = p.getLongValue();
                        if (i == 4) {
                            i = 0;
                            int kind = (int) row[3];
                            if (kind < 0 || kind >= kinds.size()) {
                                ctxt.reportInputMismatch(EndpointPolicyRecord.class, "entry kind %d out of range", kind);
                            }
                            Kind k = kinds.get(kind);
                            entries.add(new EndpointPolicyRecord.Entry(row[0], k.direction(), k.protocol(), (int) row[1],
                                    (int) row[2], k.deny(), k.proxy(), k.derivedFrom()));
                        }
                    }
                    if (i != 0) {
                        ctxt.reportInputMismatch(EndpointPolicyRecord.class, "entry rows are not a multiple of 4 numbers");
                    }
                } else {
                    p.skipChildren();
                }
            }
            return entries;
        }

        private static List<Kind> readKinds(JsonParser p, DeserializationContext ctxt) throws IOException {
            List<Kind> kinds = new ArrayList<>();
            while (p.nextToken() == JsonToken.START_OBJECT) {
                Map<String, Object> m = ctxt.readValue(p, ctxt.getTypeFactory().constructMapType(Map.class, String.class, Object.class));
                @SuppressWarnings("unchecked")
                List<String> from = m.get("derivedFrom") instanceof List<?> l ? List.copyOf((List<String>) l) : List.of();
                kinds.add(new Kind((String) m.get("direction"), (String) m.get("protocol"),
                        Boolean.TRUE.equals(m.get("deny")), (String) m.get("proxy"), from));
            }
            return kinds;
        }
    }
}
