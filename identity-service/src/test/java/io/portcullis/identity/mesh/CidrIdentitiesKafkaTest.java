package io.portcullis.identity.mesh;

import static io.portcullis.identity.mesh.MeshTopics.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.identity.allocation.IdentityCoreCidrTest;
import io.portcullis.mesh.identity.IdentityRecord;
import io.portcullis.mesh.identity.IdentityWatermarkRecord;
import io.portcullis.mesh.identity.IpCacheRecord;
import io.portcullis.mesh.policy.PolicyEvent;
import io.portcullis.policy.identity.NumericIdentity;
import io.portcullis.policy.identity.PrefixLabels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * CIDR identities with the real broker and two instances of the loop: the prefixes a stored policy selects
 * by CIDR get local identities and ipcache entries (source cidr) whichever instance owns their slices,
 * an update that drops a prefix releases it, and every slice's watermark follows the policy revisions.
 */
class CidrIdentitiesKafkaTest extends TwoLoopsOnOneBroker {

    private static final String POLICIES = "portcullis.policies";

    private static IdentityLoop loop() {
        return loop(new IdentityLoop.Topics("portcullis.endpoints", "portcullis.identities", "portcullis.endpoint-identities",
                "portcullis.ipcache", "portcullis.identity-owners", null, POLICIES, "portcullis.identity-watermarks"), "identity-cidr-it", Duration.ofSeconds(1));
    }

    private static void apply(long revision, String name, String cidrs) {
        var policy = IdentityCoreCidrTest.policy(name, "- toCIDRSet: [" + cidrs + "]");
        topics.send(POLICIES, policy.key(), PolicyEvent.Applied.of(revision, policy));
    }

    /** prefix → the identity its ipcache entry names, when every entry is a cidr one with the prefix's labels. */
    private static boolean ipcacheHasExactly(Set<String> prefixes) {
        Map<String, IpCacheRecord> ipcache = topics.read("portcullis.ipcache", IpCacheRecord.class);
        Map<String, IdentityRecord> ids = topics.read("portcullis.identities", IdentityRecord.class);
        if (!ipcache.keySet().equals(prefixes)) {
            return false;
        }
        for (IpCacheRecord r : ipcache.values()) {
            IdentityRecord id = ids.get(Long.toString(r.identity()));
            assertThat(r.source()).isEqualTo("cidr");
            assertThat(NumericIdentity.hasLocalScope(r.identity())).isTrue();
            if (id == null) {
                return false;
            }
            assertThat(id.toIdentity().labels()).isEqualTo(PrefixLabels.defaults().forPrefix(r.prefix()));
        }
        return true;
    }

    private static boolean everySliceVouchesFor(long revision) {
        Map<String, IdentityWatermarkRecord> wms = topics.read("portcullis.identity-watermarks", IdentityWatermarkRecord.class);
        return wms.size() == SLICES && wms.values().stream().allMatch(w -> w.revision() == revision && w.slices() == SLICES);
    }

    @Test
    void policyPrefixesGetCidrIdentitiesAcrossTwoInstancesAndAreReleasedWhenDropped() throws Exception {
        IdentityLoop a = loop();
        IdentityLoop b = loop();
        try {
            a.ready().get(60, TimeUnit.SECONDS);
            b.ready().get(60, TimeUnit.SECONDS);
            await("both instances own slices", WAIT, () -> !a.ownedSlices().isEmpty() && !b.ownedSlices().isEmpty()
                    && a.ownedSlices().size() + b.ownedSlices().size() == SLICES);

            apply(1, "p", "{cidr: 10.0.0.0/8, except: [10.1.0.0/16, 10.2.0.0/16]}, {cidr: 192.0.2.0/24}, "
                    + "{cidr: 198.51.100.0/24}, {cidr: 203.0.113.0/24}");
            apply(2, "q", "{cidr: 10.0.0.0/8}, {cidr: 172.16.0.0/12}");
            Set<String> all = Set.of("10.0.0.0/8", "10.1.0.0/16", "10.2.0.0/16", "192.0.2.0/24", "198.51.100.0/24",
                    "203.0.113.0/24", "172.16.0.0/12");
            await("every prefix has a cidr identity and ipcache entry", WAIT, () -> ipcacheHasExactly(all));
            await("every slice vouches for revision 2", WAIT, () -> everySliceVouchesFor(2));
            // both instances read the same numbers
            await("snapshots agree", WAIT, () -> a.snapshot().ipcache().list().equals(b.snapshot().ipcache().list()));
            // longest prefix: inside an except is the except's identity, inside the /8 the /8's, outside world
            var ipcache = b.snapshot().ipcache();
            assertThat(ipcache.lookup("10.1.2.3").prefix()).hasToString("10.1.0.0/16");
            assertThat(ipcache.lookup("10.9.9.9").prefix()).hasToString("10.0.0.0/8");
            assertThat(ipcache.lookup("11.0.0.1").source()).isEqualTo("world");
            int identities = topics.read("portcullis.identities", IdentityRecord.class).size();
            assertThat(identities).isEqualTo(all.size());

            // p drops everything but 10/8, which q still holds: the others go (ipcache at once, identities after the grace period)
            apply(3, "p", "{cidr: 10.0.0.0/8}");
            await("dropped prefixes released", WAIT, () -> ipcacheHasExactly(Set.of("10.0.0.0/8", "172.16.0.0/12")));
            await("their identities freed after the grace period", WAIT,
                    () -> topics.read("portcullis.identities", IdentityRecord.class).size() == 2);
            await("every slice vouches for revision 3", WAIT, () -> everySliceVouchesFor(3));

            // one instance stops: the other takes over every slice and keeps serving new prefixes
            a.close();
            await("b owns every slice", WAIT, () -> b.ownedSlices().size() == SLICES);
            apply(4, "q", "{cidr: 10.0.0.0/8}, {cidr: 100.64.0.0/10}");
            await("new prefix after takeover", WAIT, () -> ipcacheHasExactly(Set.of("10.0.0.0/8", "100.64.0.0/10")));
            await("every slice vouches for revision 4", WAIT, () -> everySliceVouchesFor(4));
        } finally {
            a.close();
            b.close();
        }
    }
}
