/**
 * The resolution engine ({@code pkg/policy} repository, rules, l4 filters, distillery): policies are
 * translated once into {@link io.portcullis.policy.engine.TranslatedRule}s with compiled selectors,
 * then resolved per subject into L4 filters and a {@link io.portcullis.policy.mapstate.MapState}.
 * {@link io.portcullis.policy.engine.PolicyEngine} keeps all of it incremental.
 */
package io.portcullis.policy.engine;
