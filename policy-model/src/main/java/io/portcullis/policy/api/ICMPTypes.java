package io.portcullis.policy.api;

import java.util.Map;

/**
 * ICMP {@code type} values of an {@code icmps[].fields[]} item: a number 0–255 or a CamelCase name
 * of the field's family ({@code pkg/policy/api/icmp.go}).
 */
public final class ICMPTypes {

    public static final String IPV4 = "IPv4";
    public static final String IPV6 = "IPv6";

    private static final Map<String, Integer> V4 = Map.ofEntries(
            Map.entry("EchoReply", 0), Map.entry("DestinationUnreachable", 3), Map.entry("Redirect", 5),
            Map.entry("Echo", 8), Map.entry("EchoRequest", 8), Map.entry("RouterAdvertisement", 9),
            Map.entry("RouterSelection", 10), Map.entry("TimeExceeded", 11), Map.entry("ParameterProblem", 12),
            Map.entry("Timestamp", 13), Map.entry("TimestampReply", 14), Map.entry("Photuris", 40),
            Map.entry("ExtendedEchoRequest", 42), Map.entry("ExtendedEchoReply", 43));

    private static final Map<String, Integer> V6 = Map.ofEntries(
            Map.entry("DestinationUnreachable", 1), Map.entry("PacketTooBig", 2), Map.entry("TimeExceeded", 3),
            Map.entry("ParameterProblem", 4), Map.entry("EchoRequest", 128), Map.entry("EchoReply", 129),
            Map.entry("MulticastListenerQuery", 130), Map.entry("MulticastListenerReport", 131),
            Map.entry("MulticastListenerDone", 132), Map.entry("RouterSolicitation", 133),
            Map.entry("RouterAdvertisement", 134), Map.entry("NeighborSolicitation", 135),
            Map.entry("NeighborAdvertisement", 136), Map.entry("RedirectMessage", 137),
            Map.entry("RouterRenumbering", 138), Map.entry("ICMPNodeInformationQuery", 139),
            Map.entry("ICMPNodeInformationResponse", 140), Map.entry("InverseNeighborDiscoverySolicitation", 141),
            Map.entry("InverseNeighborDiscoveryAdvertisement", 142),
            Map.entry("HomeAgentAddressDiscoveryRequest", 144), Map.entry("HomeAgentAddressDiscoveryReply", 145),
            Map.entry("MobilePrefixSolicitation", 146), Map.entry("MobilePrefixAdvertisement", 147),
            Map.entry("DuplicateAddressRequestCodeSuffix", 157),
            Map.entry("DuplicateAddressConfirmationCodeSuffix", 158), Map.entry("ExtendedEchoRequest", 160),
            Map.entry("ExtendedEchoReply", 161));

    private ICMPTypes() {}

    /**
     * The numeric type for {@code type} in {@code family} ({@code null} or empty = IPv4), or {@code null}
     * when it is neither a decimal 0–255 nor a name of that family.
     */
    public static Integer codeOf(String family, String type) {
        if (type == null) {
            return null;
        }
        if (type.matches("0|[1-9][0-9]{0,2}")) {
            int code = Integer.parseInt(type);
            return code <= 255 ? code : null;
        }
        return (IPV6.equals(family) ? V6 : V4).get(type);
    }
}
