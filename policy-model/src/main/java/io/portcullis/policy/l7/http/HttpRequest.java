package io.portcullis.policy.l7.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The parts of an HTTP request that rules look at. {@code path} is the full request target as in the
 * HTTP/2 {@code :path} pseudo-header, query string included; {@code host} is {@code :authority} (the
 * Host header in HTTP/1). A null method, path or host is absent and fails any rule that constrains it.
 *
 * <p>Header names are case-insensitive: the map is copied into one ordered by {@link
 * String#CASE_INSENSITIVE_ORDER}, merging names that differ only in case. Names with no values are
 * dropped.
 */
public record HttpRequest(String method, String path, String host, Map<String, List<String>> headers) {

    public HttpRequest {
        headers = caseInsensitiveCopy(headers);
    }

    public static HttpRequest of(String method, String path) {
        return new HttpRequest(method, path, null, Map.of());
    }

    /** A copy with one more header value. */
    public HttpRequest withHeader(String name, String value) {
        Map<String, List<String>> more = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        more.putAll(headers);
        more.merge(name, List.of(value), HttpRequest::concat);
        return new HttpRequest(method, path, host, more);
    }

    /**
     * The value a header matcher sees: all values of the header joined with {@code ,} (Envoy's
     * {@code getAllOfHeaderAsString}), or empty if the header is absent. The pseudo-headers
     * {@code :method}, {@code :path} and {@code :authority} are the record's fields.
     */
    public Optional<String> header(String name) {
        return switch (name) {
            case ":method" -> Optional.ofNullable(method);
            case ":path" -> Optional.ofNullable(path);
            case ":authority" -> Optional.ofNullable(host);
            default -> Optional.ofNullable(headers.get(name)).map(values -> String.join(",", values));
        };
    }

    private static Map<String, List<String>> caseInsensitiveCopy(Map<String, List<String>> in) {
        Map<String, List<String>> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (in != null) {
            in.forEach((name, values) -> {
                if (name != null && values != null && !values.isEmpty()) {
                    out.merge(name, List.copyOf(values), HttpRequest::concat);
                }
            });
        }
        return Collections.unmodifiableMap(out);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
