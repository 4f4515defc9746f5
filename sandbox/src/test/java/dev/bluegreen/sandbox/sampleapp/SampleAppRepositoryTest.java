package dev.bluegreen.sandbox.sampleapp;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class SampleAppRepositoryTest {

    @TempDir
    Path folder;

    @Test
    void holdsEachVersionUnderItsTagWithMainAtV2() {
        SampleAppRepository repository = SampleAppRepository.create(folder.resolve("repository"));

        assertThat(repository.url()).isEqualTo("file://" + folder.resolve("repository").toAbsolutePath());
        assertThat(repository.commitOf("main")).isEqualTo(repository.commitOf("v2"));
        assertThat(repository.commitOf("broken")).isNotIn(repository.commitOf("v1"), repository.commitOf("v2"));
    }

    @Test
    void buildsTheSameCommitsEveryTimeSoOldCheckoutsStayValid() {
        SampleAppRepository first = SampleAppRepository.create(folder.resolve("first"));
        SampleAppRepository second = SampleAppRepository.create(folder.resolve("second"));

        for (String version : SampleAppRepository.VERSIONS) {
            assertThat(second.commitOf(version)).isEqualTo(first.commitOf(version));
        }
    }
}
