package dev.bluegreen.apps;

/** Reads the {@code host:port} SSH addresses of droplets and bastions; the pattern on their fields checks the form. */
final class SshAddress {

    static final String PATTERN = "[^\\s:]+:\\d{1,5}";

    private SshAddress() {
    }

    static String host(String address) {
        return address.substring(0, address.lastIndexOf(':'));
    }

    static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }
}
