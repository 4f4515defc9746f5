package dev.bluegreen.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's settings reference cannot drift from the code: every {@code bluegreen.*} setting in the services' and
 * the preflight's generated {@code META-INF/spring-configuration-metadata.json} (the configuration processor writes one
 * per module with {@code @ConfigurationProperties}) is named in a row of one of README.md's tables, and has a
 * description.
 */
class SettingsReferenceTest {

    private static final Pattern CODE = Pattern.compile("`(bluegreen\\.[^`\\s]+)`");

    @Test
    void everyBluegreenSettingOfTheServicesIsNamedInTheReadmesTablesAndDescribed() throws IOException {
        Map<String, String> settings = bluegreenSettings();
        Set<String> documented = namesInReadmeTables(Path.of("..", "README.md"));

        assertThat(settings).as("the services' and the preflight's bluegreen.* settings, read from their metadata")
                .containsKeys("bluegreen.ssh.known-hosts", "bluegreen.gateway.stream.max-subscribers",
                        "bluegreen.digitalocean.retry.max-attempts", "bluegreen.lifecycle.session-timeout",
                        "bluegreen.config", "bluegreen.preflight.kafka-timeout");
        assertThat(settings.keySet().stream().filter(setting -> !named(setting, documented)).toList())
                .as("bluegreen.* settings that README.md's configuration tables do not name").isEmpty();
        assertThat(settings.entrySet().stream().filter(setting -> setting.getValue().isBlank()).map(Map.Entry::getKey)
                .toList()).as("bluegreen.* settings without a description (javadoc on the properties record)")
                .isEmpty();
    }

    /** The setting's own name, or a name under it: {@code bluegreen.gateway.tokens.<name>.secret} for a map. */
    private static boolean named(String setting, Set<String> documented) {
        return documented.stream().anyMatch(name -> name.equals(setting) || name.startsWith(setting + "."));
    }

    /** Each {@code bluegreen.*} setting on the class path, with its description. */
    private static Map<String, String> bluegreenSettings() throws IOException {
        JsonMapper mapper = JsonMapper.builder().build();
        Map<String, String> settings = new TreeMap<>();
        List<URL> files = Collections.list(SettingsReferenceTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"));
        for (URL file : files) {
            JsonNode metadata;
            try (InputStream in = file.openStream()) {
                metadata = mapper.readTree(in);
            }
            for (JsonNode property : metadata.path("properties")) {
                String name = property.path("name").asString();
                if (name.startsWith("bluegreen.")) {
                    settings.put(name, property.path("description").asString(""));
                }
            }
        }
        return settings;
    }

    /** The {@code `bluegreen.…`} names in the rows of README.md's tables. */
    private static Set<String> namesInReadmeTables(Path readme) throws IOException {
        return Files.readAllLines(readme).stream().filter(line -> line.startsWith("|")).flatMap(line -> {
            Matcher code = CODE.matcher(line);
            return code.results().map(result -> result.group(1));
        }).collect(Collectors.toSet());
    }
}
