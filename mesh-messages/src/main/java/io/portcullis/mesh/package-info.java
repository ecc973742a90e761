/**
 * The messages Portcullis services exchange over Kafka (see {@code shared/DESIGN.md}, "Data flow").
 *
 * <p>Every message is a record with a {@code schemaVersion}, encoded as JSON by {@link
 * io.portcullis.mesh.MeshJson} (never Java serialization). Each topic is keyed by the identity of the
 * thing it describes ({@code ns/name}, {@code node/endpoint}, an identity number, a prefix), so topics
 * can be compacted and each one is also the durable state its consumers rebuild from on start. A
 * removed thing is a tombstone (null value), except where a removal itself must carry a revision.
 *
 * <p>Topic names are not here: channel → topic mapping lives in each service's configuration.
 */
package io.portcullis.mesh;
