package dev.bluegreen.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PreviewDropletTest {

    @Test
    void aDropletsAddressAndUrlComeFromItsHttpUrlInTheAppsFile() {
        assertThat(PreviewDroplet.of(3164445, "http://10.10.0.6:80"))
                .isEqualTo(new PreviewDroplet(3164445, "10.10.0.6", "http://10.10.0.6:80"));
        assertThat(PreviewDroplet.of(7, "https://green-1.internal.example.com/shop"))
                .isEqualTo(new PreviewDroplet(7, "green-1.internal.example.com",
                        "https://green-1.internal.example.com/shop"));
        assertThat(PreviewDroplet.of(8, "http://[fd00::6]:8080")).isEqualTo(new PreviewDroplet(8, "fd00::6",
                "http://[fd00::6]:8080"));
    }

    @Test
    void aPasswordQueryOrFragmentInTheUrlIsNeverPublished() {
        PreviewDroplet preview = PreviewDroplet.of(9, "http://deploy:s3cret-pw@10.10.0.6:80/?token=abc123#top");

        assertThat(preview).isEqualTo(new PreviewDroplet(9, "10.10.0.6", "http://10.10.0.6:80/"));
        assertThat(preview.toString()).doesNotContain("s3cret-pw", "abc123", "deploy");
    }

    @Test
    void somethingThatIsNotAnHttpUrlIsRefusedWithoutRepeatingIt() {
        assertThatThrownBy(() -> PreviewDroplet.of(10, "ftp://user:s3cret@10.10.0.6"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The address of droplet 10 is not an http:// or https:// URL");
    }
}
