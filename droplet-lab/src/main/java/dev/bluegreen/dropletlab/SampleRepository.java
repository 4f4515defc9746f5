package dev.bluegreen.dropletlab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sample app's git repository: a bare repository on the host, which the droplets reach by its path (their mount
 * namespaces see the host's files). Branch {@code main} is at {@link #V1}; tags {@link #V1}, {@link #V2} (with an
 * sqlite migration, {@code migrate.py}) and {@link #BROKEN} (fails to import) are commits one after the other.
 */
public final class SampleRepository {

    public static final String V1 = "v1";

    public static final String V2 = "v2";

    public static final String BROKEN = "broken";

    /** The branch the droplets check out when they are set up. */
    public static final String BRANCH = "main";

    /** What gunicorn serves. */
    static final String WSGI_APP = "app:app";

    private static final Map<String, List<String>> FILES = Map.of(
            V1, List.of("app.py", "requirements.txt"),
            V2, List.of("app.py", "migrate.py", "requirements.txt"),
            BROKEN, List.of("app.py", "requirements.txt"));

    private final Path bare;

    private final Map<String, String> commits;

    private SampleRepository(Path bare, Map<String, String> commits) {
        this.bare = bare;
        this.commits = commits;
    }

    static SampleRepository create(Path folder) {
        Path work = folder.resolve("work");
        Path bare = folder.resolve("sample.git");
        try {
            Files.createDirectories(work);
            git(work, "init", "--quiet", "--initial-branch", BRANCH);
            Map<String, String> commits = new LinkedHashMap<>();
            for (String version : List.of(V1, V2, BROKEN)) {
                git(work, "rm", "-r", "--quiet", "--ignore-unmatch", ".");
                for (String file : FILES.get(version)) {
                    try (InputStream in = SampleRepository.class.getResourceAsStream("sample-app/" + version + "/"
                            + file)) {
                        Files.write(work.resolve(file), in.readAllBytes());
                    }
                }
                git(work, "add", "--all");
                git(work, "commit", "--quiet", "--message", "sample app " + version);
                git(work, "tag", version);
                commits.put(version, git(work, "rev-parse", "HEAD").strip());
            }
            git(work, "checkout", "--quiet", "--detach");
            git(work, "branch", "--force", BRANCH, V1);
            git(folder, "clone", "--quiet", "--bare", work.toString(), bare.toString());
            return new SampleRepository(bare, Map.copyOf(commits));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not write the sample app into " + work, ex);
        }
    }

    /** Where the droplets clone and fetch from: the bare repository's path. */
    public String url() {
        return bare.toString();
    }

    /** The full commit id a tag names. */
    public String commitOf(String tag) {
        String commit = commits.get(tag);
        if (commit == null) {
            throw new IllegalArgumentException("The sample repository has no tag " + tag + "; it has " + commits.keySet());
        }
        return commit;
    }

    private static String git(Path in, String... arguments) {
        List<String> command = new ArrayList<>(List.of("git", "-C", in.toString(), "-c",
                "user.name=droplet lab", "-c", "user.email=lab@bluegreen.invalid", "-c", "commit.gpgsign=false"));
        command.addAll(List.of(arguments));
        return HostCommands.require("git " + arguments[0] + " in the sample repository", command,
                Duration.ofSeconds(30));
    }
}
