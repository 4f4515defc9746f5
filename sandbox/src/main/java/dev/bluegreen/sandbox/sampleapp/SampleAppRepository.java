package dev.bluegreen.sandbox.sampleapp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real git repository of the sample app, built with the {@code git} command from the one source in the
 * {@code sample-app/} resources: {@code v1} then {@code v2} on {@code main}, each tagged, and a branch {@code broken}
 * (tag {@code broken}) whose health check fails. The versions differ only in the app's {@code VERSION} and
 * {@code DATABASE} settings and its README, as a real release would. Commit dates are fixed, so every build has the
 * same commit ids and a droplet that fetched from an earlier build stays consistent.
 */
public final class SampleAppRepository {

    private static final String HELLO = "a tiny web app for the bluegreen sandbox.";
    private static final Version V1 = new Version("v1", "Say hello from sample-app v1", "None", HELLO);
    private static final Version V2 = new Version("v2", "Say hello from sample-app v2", "None", HELLO);
    private static final Version BROKEN = new Version("broken", "Read the database address from the new setting",
            "(\"127.0.0.1\", 0)", "starts and serves /, but /healthz fails because its database setting is wrong.");

    /** The tags, in the order they were committed. */
    public static final List<String> VERSIONS = List.of(V1.tag(), V2.tag(), BROKEN.tag());

    private static final Logger log = LoggerFactory.getLogger(SampleAppRepository.class);
    private static final String RUN_IT = " Run it with: python3 app.py --port 8000\n";
    private static final String GITIGNORE = "app.pid\napp.pid.tmp\napp.log\n__pycache__/\n.droplet/\n";
    private static final long FIRST_COMMIT_EPOCH = 1_735_732_800L; // 2025-01-01T12:00:00Z

    private final Path folder;

    private SampleAppRepository(Path folder) {
        this.folder = folder;
    }

    /** Builds the repository in {@code folder}, replacing whatever was there. */
    public static SampleAppRepository create(Path folder) {
        Path root = folder.toAbsolutePath().normalize();
        try {
            deleteRecursively(root);
            Files.createDirectories(root);
            Git git = new Git(root);
            git.run("-c", "init.defaultBranch=main", "init", "--quiet");
            git.run("config", "user.name", "bluegreen sandbox");
            git.run("config", "user.email", "sandbox@bluegreen.invalid");
            git.run("config", "commit.gpgsign", "false");
            git.run("config", "tag.gpgsign", "false");
            Files.writeString(root.resolve(".gitignore"), GITIGNORE);
            commit(git, root, V1, 0);
            commit(git, root, V2, 1);
            git.run("checkout", "--quiet", "-b", BROKEN.tag());
            commit(git, root, BROKEN, 2);
            git.run("checkout", "--quiet", "main");
            log.info("The sample-app repository was built in {} with versions {}.", root, VERSIONS);
            return new SampleAppRepository(root);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not build the sample-app repository in " + root, e);
        }
    }

    /**
     * One release of the sample app.
     *
     * @param database the app's {@code DATABASE} setting, as Python
     */
    private record Version(String tag, String message, String database, String description) {

        /** The app's source with this version's settings in place of the source's own. */
        String app(String source) {
            return replaceOnce(replaceOnce(source, "VERSION = \"v1\"", "VERSION = \"" + tag + "\""),
                    "DATABASE = None", "DATABASE = " + database);
        }

        String readme() {
            return "sample-app " + tag + ": " + description + RUN_IT;
        }

        private static String replaceOnce(String source, String setting, String replacement) {
            if (!source.contains(setting)) {
                throw new IllegalStateException("The sample app's source no longer says " + setting);
            }
            return source.replace(setting, replacement);
        }
    }

    private static void commit(Git git, Path root, Version version, int hour) throws IOException {
        Files.writeString(root.resolve("app.py"), version.app(resource("app.py")));
        Files.writeString(root.resolve("requirements.txt"), resource("requirements.txt"));
        Files.writeString(root.resolve("README"), version.readme());
        git.at(FIRST_COMMIT_EPOCH + hour * 3600L);
        git.run("add", "--all");
        git.run("commit", "--quiet", "--message", version.message());
        git.run("tag", version.tag());
    }

    private static String resource(String name) throws IOException {
        try (InputStream stream = SampleAppRepository.class.getResourceAsStream("/sample-app/" + name)) {
            if (stream == null) {
                throw new IOException("The resource sample-app/" + name + " is missing from the classpath");
            }
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Where droplets fetch from: a {@code file://} URL. */
    public String url() {
        return "file://" + folder;
    }

    public Path folder() {
        return folder;
    }

    /** The commit id a tag or branch points at. */
    public String commitOf(String ref) {
        return new Git(folder).run("rev-parse", ref + "^{commit}").strip();
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** The {@code git} command line in one folder, with a fixed date for the commits it makes. */
    private static final class Git {

        private final Path folder;
        private long epochSeconds = FIRST_COMMIT_EPOCH;

        Git(Path folder) {
            this.folder = folder;
        }

        void at(long epochSeconds) {
            this.epochSeconds = epochSeconds;
        }

        String run(String... arguments) {
            List<String> command = new ArrayList<>(List.of("git"));
            command.addAll(List.of(arguments));
            ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true);
            Map<String, String> environment = builder.environment();
            String date = "@" + epochSeconds + " +0000";
            environment.put("GIT_AUTHOR_DATE", date);
            environment.put("GIT_COMMITTER_DATE", date);
            environment.put("GIT_CONFIG_NOSYSTEM", "1");
            environment.put("GIT_CONFIG_GLOBAL", "/dev/null");
            try {
                Process process = builder.start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new IllegalStateException("'" + String.join(" ", command) + "' failed in " + folder
                            + ": " + output.strip());
                }
                return output;
            } catch (IOException e) {
                throw new UncheckedIOException("Could not run git: is it installed?", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while git ran in " + folder, e);
            }
        }
    }
}
