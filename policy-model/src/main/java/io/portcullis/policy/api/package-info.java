/**
 * The user-facing {@code cilium.io/v2} policy types, exactly as users write them (Cilium's
 * {@code pkg/policy/api}). Records hold what was written: {@code null} means the field was absent,
 * an empty list means it was present and empty (which Cilium treats differently, e.g.
 * {@code fromEndpoints: []} selects nothing while an absent one selects everything).
 *
 * <p>Parsing lives in {@code api.parse}, validation ({@code Sanitize}) in {@code api.validate}; the
 * resolution engine never sees an object that did not pass both.
 */
package io.portcullis.policy.api;
