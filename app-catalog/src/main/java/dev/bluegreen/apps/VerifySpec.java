package dev.bluegreen.apps;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A request the traffic-router sends through the app's load balancer after it added the new colour, until the new
 * version answers it: then the new colour takes traffic, so the old one may go. It is the balancer's own word, where
 * its health metrics are not to be relied on.
 *
 * @param path such as {@code /version}
 * @param expect text the new version's answer contains, such as {@code "{{ref}}"}; {@code {{ref}}},
 *     {@code {{commit}}}, {@code {{colour}}} and {@code {{app}}} are replaced by the new colour's values, and one of
 *     the first three must be there, so that the old version's answer does not pass
 * @param baseUrl where the router reaches the balancer; null for {@code http://<the balancer's IP>}, on the entry
 *     port of its HTTP forwarding rule. Set it when the app answers only its own host name
 */
public record VerifySpec(
        @NotBlank @Pattern(regexp = "/\\S*", message = "must be a path starting with /") String path,
        @NotBlank @Pattern.List({
            @Pattern(regexp = EXPECT_PATTERN,
                    message = "may hold no placeholders but {{ref}}, {{commit}}, {{colour}} and {{app}}"),
            @Pattern(regexp = "(?s).*\\{\\{(ref|commit|colour)\\}\\}.*", message = "must hold {{ref}}, {{commit}} "
                    + "or {{colour}}: the new version must answer something the old one does not")
        }) String expect,
        @Nullable @Pattern(regexp = "https?://[^/\\s]+/?", message = "must be an http:// or https:// URL without a "
                + "path") String baseUrl) {

    /** Text in which every {@code {{...}}} is one of the known placeholders. */
    static final String EXPECT_PATTERN = "(?s)(?:[^{]|\\{(?!\\{)|\\{\\{(?:ref|commit|colour|app)\\}\\})*";
}
