package io.portcullis.policy.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.ObjectMeta;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.labels.Labels;
import io.portcullis.policy.selector.SelectorCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Test helpers: policies from YAML, and one-shot resolution through a fresh selector cache. */
final class TestPolicies {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private TestPolicies() {}

    static CiliumPolicy yaml(String text) {
        try {
            CiliumPolicy p = YAML.readValue(text, CiliumPolicy.class);
            if ("CiliumNetworkPolicy".equals(p.kind()) && p.metadata().namespace() == null) {
                ObjectMeta m = p.metadata();
                p = p.withMetadata(m.withNamespace("default"));
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Identity identity(long id, String... labels) {
        return new Identity(id, Labels.parse(List.of(labels), "k8s"));
    }

    /** Translates, registers, filters by subject and resolves: the whole engine in one call. */
    static EndpointPolicy resolve(Subject subject, Collection<CiliumPolicy> policies, Collection<Identity> identities) {
        RuleTranslator t = new RuleTranslator(EngineConfig.DEFAULT);
        SelectorCache cache = new SelectorCache();
        cache.upsertAll(identities);
        cache.upsertIdentity(subject.identity());
        List<TranslatedRule> selecting = new ArrayList<>();
        for (CiliumPolicy p : policies) {
            for (TranslatedRule r : t.translate(p)) {
                r.ingress().forEach(pr -> pr.peers().forEach(cache::register));
                r.egress().forEach(pr -> pr.peers().forEach(cache::register));
                if (r.subject().matches(subject.identity().labels())) {
                    selecting.add(r);
                }
            }
        }
        return PolicyResolver.resolve(subject, selecting, cache, Map.of());
    }
}
