package io.portcullis.policy.api;

import java.util.List;
import java.util.Map;

/** {@code toGroups}/{@code fromGroups}: cloud groups resolved to CIDRs by an operator. */
public record Groups(AwsGroup aws) {

    public record AwsGroup(
            Map<String, String> labels,
            List<String> securityGroupsIds,
            List<String> securityGroupsNames,
            String region) {}
}
