package io.portcullis.dnsproxy.rules;

/** The names of the topics the proxy folds into its rules (configuration, never hard-coded). */
public record RuleTopics(String endpoints, String identities, String ipcache, String endpointIdentities,
                         String endpointPolicies) {

    /** In the order node-agent replays them: what a record refers to is usually known when it comes. */
    public java.util.List<String> inOrder() {
        return java.util.List.of(endpoints, identities, ipcache, endpointIdentities, endpointPolicies);
    }
}
