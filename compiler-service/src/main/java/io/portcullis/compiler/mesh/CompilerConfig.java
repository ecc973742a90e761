package io.portcullis.compiler.mesh;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** {@code portcullis.compiler.*}: the input topics (the output is the endpoint-policies channel's) and batching. */
@ConfigMapping(prefix = "portcullis.compiler")
public interface CompilerConfig {

    Inputs inputs();

    /** The output channel's transactional id (used by application.yaml): one per compiler partition. */
    String writerId();

    /** A flush waits until no change arrived for this long ... */
    @WithDefault("PT0.005S")
    Duration coalesceQuiet();

    /** ... but never longer than this after the batch's first change. */
    @WithDefault("PT0.1S")
    Duration coalesceMaxDelay();

    /** Records per Kafka transaction when a flush is large (the start after a rebuild). */
    @WithDefault("500")
    int publishChunk();

    /**
     * ... and about this many bytes of encoded values (a transaction closes after the record that crosses
     * it): at full size one endpoint's map is up to ~1 MB of JSON, so 500 of them would be held at once.
     */
    @WithDefault("16777216")
    long publishChunkBytes();

    @WithDefault("PT30S")
    Duration publishTimeout();

    /** Input topic names. */
    interface Inputs {
        String policies();

        String identities();

        String endpoints();

        String endpointIdentities();

        String ipcache();

        /**
         * identity-service's per-slice watermarks: when set, a policy change is applied only once they vouch
         * for its revision (CIDR identities first; docs/mesh.md). Empty: no hold.
         */
        Optional<String> identityWatermarks();
    }
}
