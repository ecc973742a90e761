package io.portcullis.policy.selector;

import io.portcullis.policy.api.EndpointSelector;
import io.portcullis.policy.api.LabelSelectorRequirement;
import io.portcullis.policy.labels.Labels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A compiled selector: the AND of its requirements. No requirements selects every identity (the
 * wildcard {@code {}}). Requirements are kept sorted, so equal selectors are equal objects and the
 * selector cache shares one entry between every rule that writes the same selector.
 *
 * <p>A value class rather than a record only to keep its hash code: selectors are hash keys on every
 * hot path of the engine (selections, used-selector sets), and a record would rehash every
 * requirement each time.
 */
public final class Selector {

    public static final Selector WILDCARD = new Selector(List.of());

    private static final Comparator<Requirement> ORDER = Comparator.comparing(Requirement::toString);

    private final List<Requirement> requirements;
    private final int hash;

    public Selector(List<Requirement> requirements) {
        List<Requirement> sorted = new ArrayList<>(requirements);
        sorted.sort(ORDER);
        this.requirements = List.copyOf(sorted);
        this.hash = this.requirements.hashCode();
    }

    public List<Requirement> requirements() {
        return requirements;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Selector s && hash == s.hash && requirements.equals(s.requirements);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    public static Selector of(Requirement... requirements) {
        return new Selector(List.of(requirements));
    }

    /** Compiles a user's selector; validation has already checked keys, operators and values. */
    public static Selector from(EndpointSelector es) {
        List<Requirement> reqs = new ArrayList<>();
        if (es.matchLabels() != null) {
            new TreeMap<>(es.matchLabels()).forEach((k, v) -> reqs.add(Requirement.parse(k, Operator.IN, List.of(v))));
        }
        if (es.matchExpressions() != null) {
            for (LabelSelectorRequirement r : es.matchExpressions()) {
                reqs.add(Requirement.parse(r.key(), Operator.fromK8s(r.operator()), r.values()));
            }
        }
        return new Selector(reqs);
    }

    public boolean isWildcard() {
        return requirements.isEmpty();
    }

    public boolean matches(Labels labels) {
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** This selector with one more requirement ANDed in. */
    public Selector and(Requirement r) {
        List<Requirement> more = new ArrayList<>(requirements);
        more.add(r);
        return new Selector(more);
    }

    /** True when some requirement uses this key (from the given source, or from {@code any}). */
    public boolean hasKey(String source, String key) {
        for (Requirement r : requirements) {
            if (r.key().equals(key) && (r.source().equals(source) || r.source().equals("any"))) {
                return true;
            }
        }
        return false;
    }

    public boolean hasKeyPrefix(String keyPrefix) {
        for (Requirement r : requirements) {
            if (r.key().startsWith(keyPrefix)) {
                return true;
            }
        }
        return false;
    }

    public boolean hasSource(String source) {
        for (Requirement r : requirements) {
            if (r.source().equals(source)) {
                return true;
            }
        }
        return false;
    }

    /** Convenience for tests and tools: {@code matchLabels} only. */
    public static Selector ofLabels(Map<String, String> matchLabels) {
        return from(EndpointSelector.of(matchLabels));
    }

    @Override
    public String toString() {
        return requirements.isEmpty() ? "{}" : requirements.toString();
    }
}
