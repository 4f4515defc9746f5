package dev.bluegreen.dropletlab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The bootstrap kit's cloud-init user data ({@code bootstrap/cloud-init.yaml}, packed into this jar), its
 * placeholders filled in, and the files it writes on a droplet. The lab's droplets take their nginx site, gunicorn
 * command line, sshd settings and prepare script from here, not from copies of their own.
 */
final class BootstrapKit {

    static final String USER_DATA = "/dev/bluegreen/dropletlab/bootstrap/cloud-init.yaml";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z_]+)\\s*}}");

    private final String app;

    private final Map<String, String> files;

    private BootstrapKit(String app, Map<String, String> files) {
        this.app = app;
        this.files = files;
    }

    /**
     * The kit with {@code values} filled in.
     *
     * @throws IllegalStateException when the kit uses a placeholder {@code values} lacks
     */
    static BootstrapKit render(Map<String, String> values) {
        String userData = fill(template(), values);
        Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(userData);
        Map<String, String> files = new LinkedHashMap<>();
        if (parsed instanceof Map<?, ?> config && config.get("write_files") instanceof List<?> written) {
            for (Object entry : written) {
                if (entry instanceof Map<?, ?> file && file.get("path") instanceof String path
                        && file.get("content") instanceof String content) {
                    files.put(path, content);
                }
            }
        }
        return new BootstrapKit(values.get("app"), files);
    }

    /** The user data as it is in the repository, placeholders and all. */
    static String template() {
        try (InputStream in = BootstrapKit.class.getResourceAsStream(USER_DATA)) {
            if (in == null) {
                throw new IllegalStateException("The bootstrap kit " + USER_DATA + " is not on the class path: "
                        + "build droplet-lab, which packs bootstrap/ into its jar.");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    String nginxSite() {
        return file("/etc/nginx/sites-available/" + app);
    }

    String sshdSettings() {
        return file("/etc/ssh/sshd_config.d/60-bluegreen.conf");
    }

    String prepareScript() {
        return file("/usr/local/lib/bluegreen/prepare-" + app);
    }

    /** The gunicorn unit's service settings, for starting gunicorn as systemd would. */
    GunicornUnit gunicornUnit() {
        String unit = file("/etc/systemd/system/gunicorn-" + app + ".service");
        String workingDirectory = null;
        String execStart = null;
        String pidFile = null;
        Map<String, String> environment = new LinkedHashMap<>();
        for (String line : unit.lines().map(String::strip).toList()) {
            if (line.startsWith("WorkingDirectory=")) {
                workingDirectory = line.substring("WorkingDirectory=".length());
            }
            else if (line.startsWith("ExecStart=")) {
                execStart = line.substring("ExecStart=".length());
            }
            else if (line.startsWith("PIDFile=")) {
                pidFile = line.substring("PIDFile=".length());
            }
            else if (line.startsWith("Environment=")) {
                for (String assignment : line.substring("Environment=".length()).split("\\s+")) {
                    int equals = assignment.indexOf('=');
                    environment.put(assignment.substring(0, equals), assignment.substring(equals + 1));
                }
            }
        }
        if (workingDirectory == null || execStart == null || pidFile == null) {
            throw new IllegalStateException("The bootstrap kit's gunicorn unit lacks WorkingDirectory, ExecStart or "
                    + "PIDFile.");
        }
        return new GunicornUnit(workingDirectory, List.of(execStart.split("\\s+")), pidFile, environment);
    }

    /**
     * @param commandLine ExecStart, split into words: the kit's line has no quotes, so this is what systemd runs
     */
    record GunicornUnit(String workingDirectory, List<String> commandLine, String pidFile,
            Map<String, String> environment) {
    }

    private String file(String path) {
        String content = files.get(path);
        if (content == null) {
            throw new IllegalStateException("The bootstrap kit writes no " + path + "; the droplet lab needs it.");
        }
        return content;
    }

    private static String fill(String template, Map<String, String> values) {
        Matcher placeholder = PLACEHOLDER.matcher(template);
        StringBuilder filled = new StringBuilder();
        List<String> unknown = new ArrayList<>();
        while (placeholder.find()) {
            String value = values.get(placeholder.group(1));
            if (value == null) {
                unknown.add(placeholder.group());
                value = placeholder.group();
            }
            placeholder.appendReplacement(filled, Matcher.quoteReplacement(value));
        }
        placeholder.appendTail(filled);
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("The bootstrap kit uses placeholders the droplet lab does not fill in: "
                    + String.join(", ", unknown));
        }
        return filled.toString();
    }
}
