package dev.bluegreen.pipeline;

import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.AppsFileCheck;
import dev.bluegreen.apps.BadSetting;

/**
 * Proof that the apps file passed {@link AppsFileCheck} when the service started: every service that has an
 * {@link AppCatalog} gets one, so an app name that is no name or an oversize value stops each of them with one
 * message that names the key and the fix ({@link BadSetting}), not only the deploy-agent, which runs the steps.
 */
public final class AppsFileVerified {

    private AppsFileVerified() {
    }

    /**
     * @param catalog the apps file as bound, or null in a service (or test) without one: nothing to check then
     * @throws BadSetting naming the first problem the apps file has
     */
    static AppsFileVerified check(@Nullable AppCatalog catalog, Environment environment) {
        if (catalog == null) {
            return new AppsFileVerified();
        }
        AppsFileCheck.problems(catalog, environment).stream().findFirst().ifPresent(problem -> {
            throw new BadSetting(problem.key(), problem.problem(), problem.fix());
        });
        return new AppsFileVerified();
    }
}
