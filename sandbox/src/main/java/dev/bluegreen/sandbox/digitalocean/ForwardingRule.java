package dev.bluegreen.sandbox.digitalocean;

/**
 * Which port and protocol a load balancer listens on and where it sends the traffic on its droplets.
 */
public record ForwardingRule(String entryProtocol, int entryPort, String targetProtocol, int targetPort,
        String certificateId, boolean tlsPassthrough) {

    public static final ForwardingRule HTTP = new ForwardingRule("http", 80, "http", 80, "", false);
}
