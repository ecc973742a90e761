/**
 * The conformance case format ({@code shared/conformance/README.md}): endpoints, steps of applies,
 * deletes and DNS observations, expected verdicts, and policies the API must reject. Read by the
 * in-process runner (pure engine) and by the live-stack runner alike.
 */
package io.portcullis.policy.conformance;
