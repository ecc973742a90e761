package io.portcullis.policy.api;

import java.util.List;

/** One {@code matchExpressions} entry: {@code In}, {@code NotIn}, {@code Exists} or {@code DoesNotExist}. */
public record LabelSelectorRequirement(String key, String operator, List<String> values) {}
