package io.portcullis.policy.api;

import java.util.List;
import java.util.Map;

/** L7 rules of a port rule; exactly one kind per {@code rules} object. */
public record L7Rules(
        List<PortRuleHTTP> http,
        List<PortRuleKafka> kafka,
        List<FQDNSelector> dns,
        String l7proto,
        List<Map<String, String>> l7) {}
