/**
 * HTTP L7 rules (CILIUM-SEMANTICS §3.2): one {@link io.portcullis.policy.l7.http.HttpRuleMatcher} per
 * {@code PortRuleHTTP} (all fields ANDed, RE2 full-string regexes, exact header values, header
 * mismatch actions) and {@link io.portcullis.policy.l7.http.HttpRules} for the OR of a port's list.
 * Semantics follow Cilium's Envoy translation ({@code pkg/envoy/policy/envoy_l7_rules_translator.go})
 * and cilium-envoy's {@code HttpNetworkPolicyRule}/{@code HeaderMatch} evaluation.
 */
package io.portcullis.policy.l7.http;
