/**
 * Verdicts: one function that answers whether a flow is allowed, from the source's egress policy
 * and the destination's ingress policy, including the L7 rules the proxies would apply, and says
 * which policies decided and why.
 */
package io.portcullis.policy.verdict;
