package dev.bluegreen.router.routing;

import java.net.URI;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import dev.bluegreen.events.Colour;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;

/** An app in the apps file, with its load balancer and two droplets of each colour in the simulated DigitalOcean. */
record TestApp(String name, String loadBalancerId, List<Long> blue, List<Long> green) {

    /** Creates the app's droplets and a load balancer that sends its traffic to {@code live}. */
    static TestApp create(DigitalOceanSimulator simulator, String name, Colour live) {
        List<Long> blue = droplets(simulator, name, Colour.BLUE);
        List<Long> green = droplets(simulator, name, Colour.GREEN);
        String loadBalancerId = simulator.addLoadBalancer(name + "-lb", live == Colour.BLUE ? blue : green);
        return new TestApp(name, loadBalancerId, blue, green);
    }

    List<Long> droplets(Colour colour) {
        return colour == Colour.BLUE ? blue : green;
    }

    /** Both colours' droplets, blue first. */
    List<Long> allDroplets() {
        return Stream.concat(blue.stream(), green.stream()).toList();
    }

    TestApp withGreen(List<Long> ids) {
        return new TestApp(name, loadBalancerId, blue, ids);
    }

    TestApp withLoadBalancerId(String id) {
        return new TestApp(name, id, blue, green);
    }

    String yaml() {
        return "    " + name + ":\n"
                + "      load-balancer-id: " + loadBalancerId + "\n"
                + "      repository: https://git.example.com/" + name + ".git\n"
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
