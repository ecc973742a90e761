package io.portcullis.policy.engine;

import java.util.Map;

/** ICMP type names ({@code pkg/policy/api/icmp.go}) → numbers, per family. */
public final class IcmpTypes {

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
            Map.entry("InverseNeighborDiscoveryAdvertisement", 142), Map.entry("HomeAgentAddressDiscoveryRequest", 144),
            Map.entry("HomeAgentAddressDiscoveryReply", 145), Map.entry("MobilePrefixSolicitation", 146),
            Map.entry("MobilePrefixAdvertisement", 147), Map.entry("DuplicateAddressRequestCodeSuffix", 157),
            Map.entry("DuplicateAddressConfirmationCodeSuffix", 158), Map.entry("ExtendedEchoRequest", 160),
            Map.entry("ExtendedEchoReply", 161));

    private IcmpTypes() {}

    /** A type as written (0–255 or a CamelCase name) → its number, or null when invalid. */
    public static Integer number(String type, boolean ipv6) {
        if (type == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(type);
            return n >= 0 && n <= 255 ? n : null;
        } catch (NumberFormatException e) {
            return (ipv6 ? V6 : V4).get(type);
        }
    }
}
