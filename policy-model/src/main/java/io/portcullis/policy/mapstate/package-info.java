/**
 * The compiled per-endpoint policy map ({@code pkg/policy/mapstate.go}, {@code pkg/policy/types}):
 * keys (peer identity, direction, protocol, masked port) to allow / deny / redirect entries, with
 * Cilium's insertion precedence and the datapath's two-lookup verdict.
 */
package io.portcullis.policy.mapstate;
