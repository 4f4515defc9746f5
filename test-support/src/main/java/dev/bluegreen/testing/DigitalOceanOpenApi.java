package dev.bluegreen.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.atlassian.oai.validator.OpenApiInteractionValidator;

/**
 * DigitalOcean's own OpenAPI description, {@code shared/digitalocean/openapi.v2.yaml}, as a validator for the
 * requests our client sends and the answers our simulator gives. The file sits beside the checkout: {@code ../shared}
 * from the project root, here and in CI's fresh clone.
 */
public final class DigitalOceanOpenApi {

    private static final Path RELATIVE = Path.of("shared", "digitalocean", "openapi.v2.yaml");

    private static OpenApiInteractionValidator validator;

    private DigitalOceanOpenApi() {
    }

    /**
     * The validator, built once per test JVM: the description is 3 MB of YAML and takes seconds to read.
     * Combinators are resolved so that {@code allOf} parts (a load balancer, a list with links and meta) are checked
     * as one schema; the validator then also refuses any field the description does not name.
     */
    public static synchronized OpenApiInteractionValidator validator() {
        if (validator == null) {
            validator = OpenApiInteractionValidator.createForSpecificationUrl(specification().toUri().toString())
                    .withResolveCombinators(true)
                    .build();
        }
        return validator;
    }

    /** The description's path, found in or beside a folder above the working directory. */
    public static Path specification() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            for (Path candidate : List.of(dir.resolve(RELATIVE), dir.resolveSibling(RELATIVE))) {
                if (Files.isRegularFile(candidate)) {
                    return candidate.normalize();
                }
            }
        }
        throw new IllegalStateException("No " + RELATIVE + " in or beside any folder above " + start
                + ": the shared folder must sit beside the checkout");
    }
}
