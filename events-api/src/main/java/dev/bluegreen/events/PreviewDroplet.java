package dev.bluegreen.events;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One droplet of the colour that takes no traffic yet, reached directly rather than through the load balancer: a CI
 * job can test the new version there before anyone promotes it.
 *
 * @param dropletId its DigitalOcean id
 * @param address its address, as the apps file gives it, such as {@code 10.10.0.6}
 * @param url the app on it, on the app's port, such as {@code http://10.10.0.6:80}
 */
public record PreviewDroplet(long dropletId, String address, String url) {

    /** Scheme, user info (left out), host, port and path; the query and fragment are left out. */
    private static final Pattern HTTP_URL = Pattern.compile(
            "(https?)://(?:[^@/?#]*@)?(\\[[^\\]/?#]*\\]|[^:/?#]*)(:\\d+)?([^?#]*).*", Pattern.CASE_INSENSITIVE);

    /**
     * The droplet as the apps file gives it: its id and the {@code http} URL the health-monitor reaches it at. Any
     * user info, query or fragment of the URL is left out, so a password written into it is never published.
     *
     * @throws IllegalArgumentException when {@code http} is not an http:// or https:// URL
     */
    public static PreviewDroplet of(long dropletId, String http) {
        Matcher url = HTTP_URL.matcher(http.strip());
        if (!url.matches()) {
            throw new IllegalArgumentException("The address of droplet " + dropletId
                    + " is not an http:// or https:// URL");
        }
        String host = url.group(2);
        String port = url.group(3) == null ? "" : url.group(3);
        String address = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return new PreviewDroplet(dropletId, address,
                url.group(1).toLowerCase(Locale.ROOT) + "://" + host + port + url.group(4));
    }
}
