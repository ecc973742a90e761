package io.portcullis.agent.verdict;

import io.portcullis.policy.ip.IpAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link IpAddress#parse} remembered per thread: the proxies decide every request of a keep-alive connection
 * with the same two addresses, and parsing them was a third of a decision. Per thread (event loop), so no
 * locking; bounded, so a scan of many source addresses cannot grow it without end.
 */
final class ParsedAddresses {

    static final int MAX = 4096;
    private static final ThreadLocal<Map<String, IpAddress>> SEEN = ThreadLocal.withInitial(HashMap::new);

    private ParsedAddresses() {}

    /** @throws IllegalArgumentException as {@link IpAddress#parse} (bad input is never remembered) */
    static IpAddress parse(String text) {
        Map<String, IpAddress> seen = SEEN.get();
        IpAddress ip = seen.get(text);
        if (ip == null) {
            ip = IpAddress.parse(text);
            if (seen.size() >= MAX) {
                seen.clear();
            }
            seen.put(text, ip);
        }
        return ip;
    }
}
