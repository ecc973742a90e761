package io.portcullis.policy.mapstate;

/**
 * The L7 parser a redirect goes to, with Cilium's default listener priority (lower wins) from
 * {@code l4.go ListenerPriority*}. {@link #NONE} means no redirect.
 */
public enum ProxyParser {
    NONE(0), HTTP(101), KAFKA(106), GENERIC(111), DNS(121);

    private final int listenerPriority;

    ProxyParser(int listenerPriority) {
        this.listenerPriority = listenerPriority;
    }

    /** The map entry's proxy-port priority: higher wins, 0 = no proxy (v1.18 stores 128 − priority). */
    public int mapPriority() {
        return this == NONE ? 0 : 128 - listenerPriority;
    }

    public String lower() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
