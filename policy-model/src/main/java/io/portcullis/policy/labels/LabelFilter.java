package io.portcullis.policy.labels;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Splits a label set into identity-relevant labels and information labels (CILIUM-SEMANTICS §5.2,
 * {@code pkg/labelsfilter}).
 *
 * <p>Each label is tested against every expression: the longest matching include and the shortest
 * matching exclude are kept. The label is identity-relevant when the longest include is longer than the
 * shortest exclude, or — outside whitelist mode — when no exclude matches at all. Whitelist mode is on as
 * soon as one user expression is an include (Cilium's {@code --labels}); then labels that no include
 * matches are dropped.
 *
 * <p>Immutable and thread-safe.
 */
public final class LabelFilter {

    /**
     * The default expressions of CILIUM-SEMANTICS §5.2 ({@code defaultLabelPrefixCfg} and the v1.18
     * "identity-relevant labels" page): keep reserved labels, the namespace, namespace labels,
     * {@code app.kubernetes.io}, the cluster and the service account; drop the other Kubernetes-managed
     * and per-pod churn labels. Every regex is quoted, so {@code ioXkubernetes} is kept.
     */
    public static final List<String> DEFAULT_EXPRESSIONS = List.of(
            "reserved:.*",
            "io\\.kubernetes\\.pod\\.namespace",
            "io\\.cilium\\.k8s\\.namespace\\.labels",
            "app\\.kubernetes\\.io",
            "io\\.cilium\\.k8s\\.policy\\.cluster",
            "io\\.cilium\\.k8s\\.policy\\.serviceaccount",
            "!io\\.kubernetes",
            "!kubernetes\\.io",
            "!statefulset\\.kubernetes\\.io/pod-name",
            "!apps\\.kubernetes\\.io/pod-index",
            "!batch\\.kubernetes\\.io/job-completion-index",
            "!batch\\.kubernetes\\.io/controller-uid",
            "!.*beta\\.kubernetes\\.io",
            "!k8s\\.io",
            "!pod-template-generation",
            "!pod-template-hash",
            "!controller-revision-hash",
            "!controller-uid",
            "!annotation.*",
            "!etcd_node",
            "!topology\\.kubernetes\\.io");

    private static final LabelFilter DEFAULT = new LabelFilter(parseAll(DEFAULT_EXPRESSIONS), false);

    private record CompiledPrefix(LabelPrefix prefix, Pattern pattern) {

        /** Length of the key section matched from its first character, or -1. */
        int matchLength(Label label) {
            if (!prefix.source().isEmpty() && !prefix.source().equals(label.source())) {
                return -1;
            }
            Matcher m = pattern.matcher(label.key());
            return m.lookingAt() ? m.end() : -1;
        }
    }

    private final List<CompiledPrefix> prefixes;
    private final boolean whitelist;

    private LabelFilter(List<LabelPrefix> prefixes, boolean whitelist) {
        this.prefixes = prefixes.stream().map(p -> new CompiledPrefix(p, p.compile())).toList();
        this.whitelist = whitelist;
    }

    /** The default configuration, no user expressions. */
    public static LabelFilter defaults() {
        return DEFAULT;
    }

    /**
     * The defaults plus user expressions (Cilium's {@code --labels}). Any include among them turns on
     * whitelist mode. Empty strings are skipped.
     *
     * @throws IllegalArgumentException on an empty prefix or a bad regex
     */
    public static LabelFilter withUserExpressions(Collection<String> userExpressions) {
        return of(DEFAULT_EXPRESSIONS, userExpressions);
    }

    /**
     * {@code base} replaces the defaults (Cilium's {@code --label-prefix-file}); it should contain
     * {@code reserved:.*}. A base include does not switch on whitelist mode by itself here, as the
     * defaults' includes do not; only user includes do.
     */
    public static LabelFilter of(Collection<String> base, Collection<String> userExpressions) {
        List<LabelPrefix> all = new ArrayList<>(parseAll(base));
        boolean whitelist = false;
        for (LabelPrefix p : parseAll(userExpressions)) {
            whitelist |= !p.exclude();
            all.add(p);
        }
        return new LabelFilter(all, whitelist);
    }

    private static List<LabelPrefix> parseAll(Collection<String> expressions) {
        return expressions.stream().filter(e -> !e.isEmpty()).map(LabelPrefix::parse).toList();
    }

    public boolean whitelist() {
        return whitelist;
    }

    public List<LabelPrefix> prefixes() {
        return prefixes.stream().map(CompiledPrefix::prefix).toList();
    }

    /** Splits {@code labels} into (identity labels, information labels). */
    public FilteredLabels filter(Labels labels) {
        List<Label> identity = new ArrayList<>(labels.size());
        List<Label> info = new ArrayList<>();
        for (Label l : labels) {
            (isIdentityRelevant(l) ? identity : info).add(l);
        }
        return new FilteredLabels(Labels.of(identity), Labels.of(info));
    }

    /** Whether one label is identity-relevant under this configuration. */
    public boolean isIdentityRelevant(Label label) {
        // 0 means "nothing matched", as in Cilium: a zero-length match counts as no match.
        int included = 0;
        int excluded = 0;
        for (CompiledPrefix p : prefixes) {
            int len = p.matchLength(label);
            if (len < 0) {
                continue;
            }
            if (p.prefix().exclude()) {
                if (excluded == 0 || len < excluded) {
                    excluded = len;
                }
            } else if (len > included) {
                included = len;
            }
        }
        return (!whitelist && excluded == 0) || included > excluded;
    }
}
