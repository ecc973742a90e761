package io.portcullis.policy.api;

import java.util.List;

/** {@code icmps[]} item. */
public record ICMPRule(List<ICMPField> fields) {}
