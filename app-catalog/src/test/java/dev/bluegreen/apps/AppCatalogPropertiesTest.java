package dev.bluegreen.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.bluegreen.events.Colour;

class AppCatalogPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AppCatalogAutoConfiguration.class));

    private static final String[] SHOP = {
            "bluegreen.apps.shop.load-balancer-id=4de7ac8b-495b-4884-9a69-1050c6793cd6",
            "bluegreen.apps.shop.repository=https://github.com/acme/shop.git",
            "bluegreen.apps.shop.droplets.blue[0].id=101",
            "bluegreen.apps.shop.droplets.blue[0].ssh=10.0.0.1:22",
            "bluegreen.apps.shop.droplets.blue[0].http=http://10.0.0.1:80",
            "bluegreen.apps.shop.droplets.green[0].id=102",
            "bluegreen.apps.shop.droplets.green[0].ssh=10.0.0.2:22",
            "bluegreen.apps.shop.droplets.green[0].http=http://10.0.0.2:80" };

    @Test
    void readsAnAppAndFillsInTheClassicWorkflowAndHealthCheck() {
        runner.withPropertyValues(SHOP).run(context -> {
            AppSpec shop = context.getBean(AppCatalog.class).require("shop");

            assertThat(shop.branch()).isEqualTo("main");
            assertThat(shop.initialLiveColour()).isEqualTo(Colour.BLUE);
            assertThat(shop.droplets(Colour.GREEN)).extracting(DropletSpec::id).containsExactly(102L);
            assertThat(shop.droplets(Colour.GREEN).get(0).sshPort()).isEqualTo(22);
            assertThat(shop.deploy().steps()).extracting(StepSpec::name)
                    .containsExactly("fetch", "checkout", "install", "restart", "self-test");
            assertThat(shop.health().path()).isEqualTo("/healthz");
            assertThat(shop.health().deadline()).isEqualTo(Duration.ofMinutes(2));
        });
    }

    @Test
    void aBadSshAddressFailsStartUpNamingTheKey() {
        runner.withPropertyValues(SHOP).withPropertyValues("bluegreen.apps.shop.droplets.blue[0].ssh=10.0.0.1")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("apps[shop].droplets.blue[0].ssh")
                        .hasMessageContaining("must be host:port"));
    }

    @Test
    void aPinnedHostKeyThatIsNotAFingerprintFailsStartUpNamingTheKey() {
        runner.withPropertyValues(SHOP).withPropertyValues("bluegreen.apps.shop.droplets.green[0].host-key=ssh-ed25519 AAAA")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("apps[shop].droplets.green[0].hostKey")
                        .hasMessageContaining("must be an OpenSSH SHA256 fingerprint"));
    }

    @Test
    void readsAPinnedHostKeyAUserPerDropletAndABastion() {
        runner.withPropertyValues(SHOP).withPropertyValues(
                "bluegreen.apps.shop.droplets.green[0].user=deploy",
                "bluegreen.apps.shop.droplets.green[0].host-key=SHA256:Kk7bBq9BVDqjUJmNqOuxuyTNplmEbYmnQUAgJ3DXk1c",
                "bluegreen.apps.shop.bastion.ssh=203.0.113.7:22").run(context -> {
                    AppSpec shop = context.getBean(AppCatalog.class).require("shop");

                    assertThat(shop.droplets(Colour.GREEN).get(0).user()).isEqualTo("deploy");
                    assertThat(shop.droplets(Colour.GREEN).get(0).hostKey()).startsWith("SHA256:Kk7b");
                    assertThat(shop.droplets(Colour.BLUE).get(0).user()).isNull();
                    assertThat(shop.bastion().sshPort()).isEqualTo(22);
                });
    }

    @Test
    void anAppWithoutALoadBalancerFailsStartUpNamingTheKey() {
        runner.withPropertyValues(SHOP).withPropertyValues("bluegreen.apps.shop.load-balancer-id=")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("apps[shop].loadBalancerId"));
    }

    @Test
    void noAppsAtAllFailsStartUpSayingWhatToDo() {
        runner.run(context -> assertThat(context).getFailure().rootCause()
                .hasMessageContaining("bluegreen.apps")
                .hasMessageContaining("point bluegreen.config at your apps file"));
    }

    @Test
    void readsARequestThatConfirmsTheNewVersionThroughTheBalancer() {
        runner.withPropertyValues(SHOP).withPropertyValues("bluegreen.apps.shop.routing.verify.path=/version",
                "bluegreen.apps.shop.routing.verify.expect={{ref}}").run(context -> {
                    VerifySpec verify = context.getBean(AppCatalog.class).require("shop").routing().verify();

                    assertThat(verify).isEqualTo(new VerifySpec("/version", "{{ref}}", null));
                });
        runner.withPropertyValues(SHOP).run(context -> assertThat(context.getBean(AppCatalog.class).require("shop")
                .routing().verify()).isNull());
    }

    @Test
    void aVerifyTextWithAnUnknownPlaceholderFailsStartUpNamingTheKey() {
        runner.withPropertyValues(SHOP).withPropertyValues("bluegreen.apps.shop.routing.verify.path=/version",
                "bluegreen.apps.shop.routing.verify.expect=version {{version}}")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("apps[shop].routing.verify.expect")
                        .hasMessageContaining("may hold no placeholders but {{ref}}"));
    }

    @Test
    void aVerifyTextTheOldVersionWouldAnswerToFailsStartUpNamingTheKey() {
        runner.withPropertyValues(SHOP).withPropertyValues("bluegreen.apps.shop.routing.verify.path=/healthz",
                "bluegreen.apps.shop.routing.verify.expect=ok")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("apps[shop].routing.verify.expect")
                        .hasMessageContaining("must hold {{ref}}, {{commit}} or {{colour}}"));
    }

    @Test
    void aVerifyPathWithoutItsSlashFailsStartUpNamingTheKey() {
        runner.withPropertyValues(SHOP).withPropertyValues("bluegreen.apps.shop.routing.verify.path=version",
                "bluegreen.apps.shop.routing.verify.expect=v2")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("apps[shop].routing.verify.path")
                        .hasMessageContaining("must be a path starting with /"));
    }

    @Test
    void anUnknownAppIsNamedInTheError() {
        runner.withPropertyValues(SHOP).run(context -> assertThat(context.getBean(AppCatalog.class).find("blog"))
                .isEmpty());
    }
}
