/**
 * Security identities ({@code pkg/identity}): numeric layout, the reserved identities, allocation from
 * label sets and the IP/prefix → identity table (ipcache).
 */
package io.portcullis.policy.identity;
