package dev.bluegreen.router.routing;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.bluegreen.apps.VerifySpec;
import dev.bluegreen.events.Colour;
import dev.bluegreen.lifecycle.ColourRecord;
import dev.bluegreen.router.digitalocean.LoadBalancer;

/** Where {@code routing.verify} is asked, and what the new version's answer must contain. */
final class VerifyRequest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(ref|commit|colour|app)\\}\\}");
    private static final int EXCERPT = 80;

    private VerifyRequest() {
    }

    /**
     * The path on the verify base URL, else on the balancer's HTTP address.
     *
     * @throws IllegalStateException when neither is known, saying what to set
     */
    static URI url(VerifySpec verify, LoadBalancer loadBalancer) {
        String base = verify.baseUrl() != null ? verify.baseUrl() : loadBalancer.httpAddress();
        if (base == null) {
            throw new IllegalStateException("routing.verify cannot be asked through load balancer "
                    + loadBalancer.id() + ": it shows " + (loadBalancer.ip() == null ? "no IP address"
                            : "no HTTP forwarding rule") + "; set routing.verify.base-url");
        }
        return URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base).resolve(verify.path());
    }

    /**
     * The text the move's target answers once it serves, or null when it cannot tell the target from the colour
     * leaving: the history does not say a value it needs (a rollback to a colour whose commit was never recorded),
     * or the old version would answer it too (the same commit on both colours).
     */
    static @Nullable String expected(VerifySpec verify, Move move) {
        String arriving = render(verify.expect(), move.app(), move.target(), move.arriving());
        String leaving = render(verify.expect(), move.app(), move.from(), move.leaving());
        return arriving == null || leaving != null && leaving.contains(arriving) ? null : arriving;
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
    static String excerpt(String body) {
        String line = body.strip().replaceAll("\\s+", " ");
        return line.length() <= EXCERPT ? line : line.substring(0, EXCERPT) + "…";
    }
}
