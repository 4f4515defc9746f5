package dev.bluegreen.router.routing;

import java.net.URI;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import dev.bluegreen.events.Colour;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;

/** An app in the apps file, with its load balancer and two droplets of each colour in the simulated DigitalOcean. */
record TestApp(String name, String loadBalancerId, List<Long> blue, List<Long> green, String routing) {

    /** No drain, so tests need not wait for it; a new colour that does not serve in 5 s will not. */
    static final String QUICK_ROUTING = "{drain-period: 0s, settle-timeout: 5s}";

    /** Creates the app's droplets and a load balancer that sends its traffic to {@code live}. */
    static TestApp create(DigitalOceanSimulator simulator, String name, Colour live) {
        List<Long> blue = droplets(simulator, name, Colour.BLUE);
        List<Long> green = droplets(simulator, name, Colour.GREEN);
        String loadBalancerId = simulator.addLoadBalancer(name + "-lb", live == Colour.BLUE ? blue : green);
        return new TestApp(name, loadBalancerId, blue, green, QUICK_ROUTING);
    }

    List<Long> droplets(Colour colour) {
        return colour == Colour.BLUE ? blue : green;
    }

    /** Both colours' droplets, blue first. */
    List<Long> allDroplets() {
        return Stream.concat(blue.stream(), green.stream()).toList();
    }

    TestApp withGreen(List<Long> ids) {
        return new TestApp(name, loadBalancerId, blue, ids, routing);
    }

    TestApp withLoadBalancerId(String id) {
        return new TestApp(name, id, blue, green, routing);
    }

    /** The app's {@code routing:} settings, as a YAML flow mapping. */
    TestApp withRouting(String flowMapping) {
        return new TestApp(name, loadBalancerId, blue, green, flowMapping);
    }

    String yaml() {
        return "    " + name + ":\n"
                + "      load-balancer-id: " + loadBalancerId + "\n"
                + "      repository: https://git.example.com/" + name + ".git\n"
                + "      routing: " + routing + "\n"
                + "      droplets:\n"
                + "        blue:\n" + yaml(blue)
                + "        green:\n" + yaml(green);
    }

    private static String yaml(List<Long> ids) {
        StringBuilder droplets = new StringBuilder();
        ids.forEach(id -> droplets.append("          - {id: ").append(id)
                .append(", ssh: \"127.0.0.1:22\", http: \"http://127.0.0.1:9\"}\n"));
        return droplets.toString();
    }

    private static List<Long> droplets(DigitalOceanSimulator simulator, String app, Colour colour) {
        return IntStream.rangeClosed(1, 2)
                .mapToObj(n -> simulator.addDroplet(app + "-" + colour + "-" + n, URI.create("http://127.0.0.1:9"),
                        List.of(app, app + ":" + colour)))
                .toList();
    }
}
