package io.portcullis.policy.api;

import java.util.List;

/** An HTTP rule: every field given must match (regexes are RE2, full-string). */
public record PortRuleHTTP(
        String path,
        String method,
        String host,
        List<String> headers,
        List<HeaderMatch> headerMatches) {}
