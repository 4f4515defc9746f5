package dev.bluegreen.trafficplan;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.bluegreen.apps.VerifySpec;
import dev.bluegreen.digitalocean.LoadBalancer;
import dev.bluegreen.events.Colour;
import dev.bluegreen.lifecycle.ColourRecord;

/** Where {@code routing.verify} is asked, and what the new version's answer must contain. */
public final class VerifyRequest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(ref|commit|colour|app)\\}\\}");
    private static final int EXCERPT = 80;

    private VerifyRequest() {
    }

    /**
     * The path on the verify base URL, else on the balancer's HTTP address.
     *
     * @throws IllegalStateException when neither is known, saying what to set
     */
    public static URI url(VerifySpec verify, LoadBalancer loadBalancer) {
        String base = verify.baseUrl() != null ? verify.baseUrl() : loadBalancer.httpAddress();
        if (base == null) {
            throw new IllegalStateException("routing.verify cannot be asked through load balancer "
                    + loadBalancer.id() + ": it shows " + (loadBalancer.ip() == null ? "no IP address"
                            : "no HTTP forwarding rule") + "; set routing.verify.base-url");
        }
        return URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base).resolve(verify.path());
    }

    /**
     * The text the target of a move answers once it serves, or null when it cannot tell the target from the colour
     * leaving: the history does not say a value it needs (a rollback to a colour whose commit was never recorded),
     * or the old version would answer it too (the same commit on both colours).
     *
     * @param arriving what the app's history says the target colour runs
     * @param leaving what it says the other colour runs
     */
    public static @Nullable String expected(VerifySpec verify, String app, Colour target, ColourRecord arriving,
            ColourRecord leaving) {
        String arrivingText = render(verify.expect(), app, target, arriving);
        String leavingText = render(verify.expect(), app, target.other(), leaving);
        return arrivingText == null || leavingText != null && leavingText.contains(arrivingText) ? null
                : arrivingText;
    }

    private static @Nullable String render(String template, String app, Colour colour, ColourRecord record) {
        Matcher placeholder = PLACEHOLDER.matcher(template);
        StringBuilder text = new StringBuilder();
        while (placeholder.find()) {
            String value = switch (placeholder.group(1)) {
                case "ref" -> record.ref();
                case "commit" -> record.commit();
                case "colour" -> colour.wireName();
                default -> app;
            };
            if (value == null) {
                return null;
            }
            placeholder.appendReplacement(text, Matcher.quoteReplacement(value));
        }
        return placeholder.appendTail(text).toString();
    }

    /** The start of an answer, on one line, for a reason. */
    public static String excerpt(String body) {
        String line = body.strip().replaceAll("\\s+", " ");
        return line.length() <= EXCERPT ? line : line.substring(0, EXCERPT) + "…";
    }
}
