/**
 * What every Portcullis service needs around Kafka besides its messages: topics created with the
 * settings the mesh needs ({@link io.portcullis.mesh.runtime.TopicProvisioner}, driven by
 * {@code portcullis.topics."<topic>".*}), and a compacted topic replayed before the service reports
 * ready ({@link io.portcullis.mesh.runtime.TopicReplay}).
 */
package io.portcullis.mesh.runtime;
