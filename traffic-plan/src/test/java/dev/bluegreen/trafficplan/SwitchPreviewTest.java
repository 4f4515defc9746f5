package dev.bluegreen.trafficplan;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.apps.Droplets;
import dev.bluegreen.apps.RoutingSpec;
import dev.bluegreen.digitalocean.DigitalOceanClient;
import dev.bluegreen.digitalocean.DigitalOceanProperties;
import dev.bluegreen.events.Colour;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanApiServer;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;

/** The dry run of a switch names the calls the switch would make, from the balancer as it is, and makes none. */
class SwitchPreviewTest {

    private static final String TOKEN = "dop_v1_preview";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final DigitalOceanSimulator simulator = new DigitalOceanSimulator();
    private final DigitalOceanApiServer api = DigitalOceanApiServer.start(simulator, TOKEN, 0);
    private final SwitchPreview preview = new SwitchPreview(new DigitalOceanClient(WebClient.builder(),
            new DigitalOceanProperties(URI.create(api.baseUrl()), TOKEN, WAIT, null)));

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aBalancerThatTargetsATagIsPreviewedAsTaggingAndUntagging() {
        TestApp app = TestApp.create(simulator, "tagged", Colour.BLUE);
        String balancer = simulator.addTaggedLoadBalancer("tagged-lb", "tagged:live");
        simulator.tagDroplets("tagged:live", app.blue());

        SwitchPreview.Plan plan = preview.toIdleColour("tagged", spec(balancer, app)).block(WAIT);

        assertThat(plan.live()).isEqualTo(Colour.BLUE);
        assertThat(plan.target()).isEqualTo(Colour.GREEN);
        assertThat(plan.steps()).first().asString()
                .startsWith("POST /v2/tags/tagged:live/resources for droplets " + joined(app.green()));
        assertThat(plan.steps()).anySatisfy(step -> assertThat(step)
                .startsWith("DELETE /v2/tags/tagged:live/resources for droplets " + joined(app.blue())));
        assertThat(simulator.dropletsTagged("tagged:live")).extracting(droplet -> droplet.id())
                .containsExactlyInAnyOrderElementsOf(app.blue());
    }

    @Test
    void bothColoursAttachedIsSaidFirstAndNothingIsAddedThatIsThereAlready() {
        TestApp app = TestApp.create(simulator, "halfway", Colour.BLUE);
        simulator.attachDroplets(app.loadBalancerId(), app.green());

        SwitchPreview.Plan plan = preview.toIdleColour("halfway", spec(app.loadBalancerId(), app)).block(WAIT);

        assertThat(plan.serving()).isEqualTo(Set.of(Colour.BLUE, Colour.GREEN));
        assertThat(plan.live()).isNull();
        assertThat(plan.steps().get(0)).startsWith("Note: both colours take traffic now");
        assertThat(plan.steps().get(1)).startsWith("The green droplets " + joined(app.green()) + " are already attached");
        assertThat(simulator.dropletIdsOf(app.loadBalancerId()))
                .containsExactlyInAnyOrderElementsOf(app.allDroplets());
    }

    private static AppSpec spec(String loadBalancerId, TestApp app) {
        return new AppSpec(loadBalancerId, "https://git.example.com/app.git", null, null,
                new Droplets(dropletSpecs(app.blue()), dropletSpecs(app.green())), null, null, null,
                new RoutingSpec(null, null, null, Duration.ZERO, Duration.ofSeconds(5)));
    }

    private static List<DropletSpec> dropletSpecs(List<Long> ids) {
        return ids.stream().map(id -> new DropletSpec(id, "127.0.0.1:22", "http://127.0.0.1:9", null, null)).toList();
    }

    private static String joined(List<Long> ids) {
        return SwitchWords.joined(ids);
    }

    /** An app's two droplets of each colour in the simulated DigitalOcean, and a balancer that serves {@code live}. */
    private record TestApp(String loadBalancerId, List<Long> blue, List<Long> green) {

        static TestApp create(DigitalOceanSimulator simulator, String name, Colour live) {
            List<Long> blue = droplets(simulator, name, Colour.BLUE);
            List<Long> green = droplets(simulator, name, Colour.GREEN);
            return new TestApp(simulator.addLoadBalancer(name + "-lb", live == Colour.BLUE ? blue : green), blue,
                    green);
        }

        List<Long> allDroplets() {
            return Stream.concat(blue.stream(), green.stream()).toList();
        }

        private static List<Long> droplets(DigitalOceanSimulator simulator, String app, Colour colour) {
            return IntStream.rangeClosed(1, 2)
                    .mapToObj(n -> simulator.addDroplet(app + "-" + colour + "-" + n,
                            URI.create("http://127.0.0.1:9"), List.of(app, app + ":" + colour)))
                    .toList();
        }
    }
}
