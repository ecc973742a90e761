package io.portcullis.policy.api.parse;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.FieldError;
import io.portcullis.policy.api.ObjectMeta;
import io.portcullis.policy.api.PolicyKind;
import io.portcullis.policy.api.validate.FieldErrors;
import io.portcullis.policy.api.validate.FieldPath;
import io.portcullis.policy.api.validate.PolicyValidator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads CNP/CCNP objects from request text: YAML (one or more {@code ---} documents) or JSON, each
 * document a policy or a {@code kind: List} of them. Field paths in errors are relative to the policy
 * when the request holds exactly one, and prefixed {@code items[i].} otherwise.
 */
public final class PolicyParser {

    /** The namespace {@code kubectl apply} gives a namespaced object that names none. */
    public static final String DEFAULT_NAMESPACE = "default";

    private static final Set<String> LIST_FIELDS = Set.of("apiVersion", "kind", "metadata", "items");

    private final ObjectMapper yaml = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    private final ObjectMapper json = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    private final PolicyValidator validator = new PolicyValidator();

    /** One policy object of the request and the path prefix its errors carry. */
    private record Item(JsonNode node, FieldPath prefix) {}

    /** Parses with the format auto-detected. */
    public ParseResult parse(String text) {
        return parse(text, null);
    }

    /**
     * Parses {@code text}; {@code contentType} ({@code application/json}, {@code application/yaml}, …)
     * picks the format, {@code null} or anything else auto-detects it.
     *
     * @throws PolicySyntaxException when the text is not well-formed YAML/JSON
     */
    public ParseResult parse(String text, String contentType) {
        return read(text, contentType, false);
    }

    /**
     * Parses and runs {@link PolicyValidator} on every policy; validation errors get the request's path
     * prefix too, so {@code errors} is the complete answer for a 422.
     *
     * @throws PolicySyntaxException when the text is not well-formed YAML/JSON
     */
    public ParseResult parseAndValidate(String text, String contentType) {
        return read(text, contentType, true);
    }

    private ParseResult read(String text, String contentType, boolean validate) {
        FieldErrors errors = new FieldErrors();
        RecordBinder binder = new RecordBinder(json, errors);
        List<CiliumPolicy> policies = new ArrayList<>();
        Set<FieldError> validation = new LinkedHashSet<>();
        for (Item item : items(text, contentType, errors)) {
            CiliumPolicy p = bindPolicy(item, binder, errors);
            if (p == null) {
                continue;
            }
            policies.add(p);
            if (validate) {
                for (FieldError e : validator.validate(p)) {
                    validation.add(new FieldError(prefixed(item.prefix(), e.field()), e.reason(), e.message()));
                }
            }
        }
        List<FieldError> all = new ArrayList<>(errors.list());
        validation.removeAll(all); // apiVersion/kind problems are found by both
        all.addAll(validation);
        return new ParseResult(policies, all);
    }

    private static String prefixed(FieldPath prefix, String field) {
        if (prefix.value().isEmpty()) {
            return field;
        }
        return field.isEmpty() ? prefix.value() : prefix.value() + "." + field;
    }

    private List<Item> items(String text, String contentType, FieldErrors errors) {
        List<JsonNode> docs = documents(text, contentType);
        List<JsonNode> nodes = new ArrayList<>();
        boolean listed = false;
        for (JsonNode doc : docs) {
            if (doc.isArray()) {
                listed = true;
                doc.forEach(nodes::add);
            } else if (doc.isObject() && "List".equals(doc.path("kind").asText())) {
                listed = true;
                nodes.addAll(listItems(doc, errors));
            } else {
                nodes.add(doc);
            }
        }
        if (nodes.isEmpty() && errors.isEmpty()) {
            errors.required(FieldPath.of("items"), "the request contains no policy");
        }
        boolean prefix = listed || nodes.size() > 1;
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            items.add(new Item(nodes.get(i), prefix ? FieldPath.of("items").index(i) : FieldPath.ROOT));
        }
        return items;
    }

    private static List<JsonNode> listItems(JsonNode list, FieldErrors errors) {
        List<JsonNode> items = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : list.properties()) {
            if (!LIST_FIELDS.contains(field.getKey())) {
                errors.add(FieldPath.of(field.getKey()), FieldError.UNKNOWN, "unknown field \"" + field.getKey() + "\"");
            }
        }
        JsonNode array = list.get("items");
        if (array == null || !array.isArray()) {
            errors.invalid(FieldPath.of("items"), "a List must have an array of items");
        } else {
            array.forEach(items::add);
        }
        return items;
    }

    /** Every root value: each YAML document, or each concatenated JSON value. A root array stays one array. */
    private List<JsonNode> documents(String text, String contentType) {
        ObjectMapper mapper = isJson(text, contentType) ? json : yaml;
        List<JsonNode> docs = new ArrayList<>();
        try (JsonParser parser = mapper.createParser(text)) {
            while (parser.nextToken() != null) {
                JsonNode doc = mapper.readTree(parser);
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) { // an empty YAML document
                    docs.add(doc);
                }
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new PolicySyntaxException(e.getOriginalMessage(), at == null ? 0 : at.getLineNr(),
                    at == null ? 0 : at.getColumnNr(), e);
        } catch (IOException e) {
            throw new PolicySyntaxException(e.getMessage(), 0, 0, e);
        }
        return docs;
    }

    private static boolean isJson(String text, String contentType) {
        if (contentType != null) {
            String ct = contentType.toLowerCase(Locale.ROOT);
            if (ct.contains("json")) {
                return true;
            }
            if (ct.contains("yaml") || ct.contains("yml")) {
                return false;
            }
        }
        String t = text.stripLeading();
        return t.startsWith("{") || t.startsWith("[");
    }

    private static CiliumPolicy bindPolicy(Item item, RecordBinder binder, FieldErrors errors) {
        FieldPath at = item.prefix();
        if (!item.node().isObject()) {
            errors.invalid(at, "a policy must be an object");
            return null;
        }
        CiliumPolicy p = binder.bind(item.node(), CiliumPolicy.class, at);
        if (!PolicyKind.API_VERSION.equals(p.apiVersion())) {
            errors.notSupported(at.child("apiVersion"),
                    "unsupported apiVersion \"" + p.apiVersion() + "\": must be " + PolicyKind.API_VERSION);
        }
        PolicyKind kind = p.policyKind();
        if (kind == null) {
            errors.notSupported(at.child("kind"), "unsupported kind \"" + p.kind()
                    + "\": must be CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy");
            return p;
        }
        ObjectMeta meta = p.metadata() != null ? p.metadata() : new ObjectMeta(null, null, null, null, null, null, null, null);
        if (kind == PolicyKind.CCNP) {
            return p.withMetadata(meta.withNamespace(null));
        }
        boolean noNamespace = meta.namespace() == null || meta.namespace().isEmpty();
        return p.withMetadata(noNamespace ? meta.withNamespace(DEFAULT_NAMESPACE) : meta);
    }
}
