package io.portcullis.policy.api;

/** An ICMP type: {@code type} is a number 0–255 or a CamelCase name such as {@code EchoRequest}. */
public record ICMPField(String family, String type) {}
