package io.portcullis.api.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;

/**
 * <pre>
 * portcullis.auth.required=auto          # auto: only when the HTTP server listens beyond loopback
 * portcullis.auth.tokens.ci.token=...    # any name per client
 * portcullis.auth.tokens.ci.role=editor  # viewer: GET only; editor: everything
 * </pre>
 */
@ConfigMapping(prefix = "portcullis.auth")
public interface AuthConfig {

    @WithDefault("auto")
    Required required();

    Map<String, Client> tokens();

    enum Required { AUTO, TRUE, FALSE }

    interface Client {
        String token();

        AccessRules.Role role();
    }
}
