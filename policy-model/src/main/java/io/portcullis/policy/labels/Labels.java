package io.portcullis.policy.labels;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * An immutable, sorted set of labels: the label set of an identity. Equal sets are equal objects, so a
 * {@code Labels} is a map key for identity allocation. Sorted by key, then source, then value.
 */
public final class Labels implements Iterable<Label> {

    public static final Labels EMPTY = new Labels(List.of());

    private final List<Label> sorted;
    private final int hash;

    private Labels(List<Label> sorted) {
        this.sorted = sorted;
        this.hash = sorted.hashCode();
    }

    public static Labels of(Collection<Label> labels) {
        return labels.isEmpty() ? EMPTY : new Labels(List.copyOf(new TreeSet<>(labels)));
    }

    public static Labels of(Label... labels) {
        return of(List.of(labels));
    }

    /** {@code k8s:} labels from a plain map, as a pod's labels become endpoint labels. */
    public static Labels k8s(Map<String, String> map) {
        List<Label> l = new ArrayList<>(map.size());
        map.forEach((k, v) -> l.add(Label.k8s(k, v)));
        return of(l);
    }

    /** Parses {@code source:key=value} strings; a string with no source gets {@code defaultSource}. */
    public static Labels parse(Collection<String> texts, String defaultSource) {
        List<Label> l = new ArrayList<>(texts.size());
        for (String t : texts) {
            l.add(Label.parse(t, defaultSource));
        }
        return of(l);
    }

    public Labels with(Collection<Label> more) {
        List<Label> all = new ArrayList<>(sorted);
        all.addAll(more);
        return of(all);
    }

    public Labels with(Label... more) {
        return with(List.of(more));
    }

    public List<Label> asList() {
        return sorted;
    }

    public int size() {
        return sorted.size();
    }

    public boolean isEmpty() {
        return sorted.isEmpty();
    }

    public boolean contains(Label l) {
        return Collections.binarySearch(sorted, l) >= 0;
    }

    /** The first label with this key from the given source ({@code any} = any source), or null. */
    public Label find(String source, String key) {
        for (Label l : sorted) {
            if (l.key().equals(key) && (Label.SOURCE_ANY.equals(source) || l.source().equals(source))) {
                return l;
            }
        }
        return null;
    }

    public boolean hasSource(String source) {
        for (Label l : sorted) {
            if (l.source().equals(source)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Iterator<Label> iterator() {
        return sorted.iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels other && hash == other.hash && sorted.equals(other.sorted);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return sorted.toString();
    }
}
