package dev.bluegreen.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TagPatternTest {

    @Test
    void aStarMatchesAnyNameUpToASlashAndTwoStarsMatchAcrossSlashes() {
        TagPattern releases = TagPattern.compile("v*");
        TagPattern nested = TagPattern.compile("release/**");

        assertThat(releases.matches("v1.4.0")).isTrue();
        assertThat(releases.matches("v")).isTrue();
        assertThat(releases.matches("v2/rc1")).isFalse();
        assertThat(releases.matches("1.4.0")).isFalse();
        assertThat(nested.matches("release/2026/11")).isTrue();
        assertThat(nested.matches("releases/2026")).isFalse();
    }

    @Test
    void questionMarksAndClassesMatchOneCharacterAndEverythingElseMatchesItself() {
        assertThat(TagPattern.compile("v[0-9].?.?").matches("v1.4.0")).isTrue();
        assertThat(TagPattern.compile("v[0-9]*").matches("vX")).isFalse();
        assertThat(TagPattern.compile("v[!0-9]*").matches("vX")).isTrue();
        assertThat(TagPattern.compile("v[!0-9]*").matches("v1")).isFalse();
        // the dot and the plus are plain characters, not regular expression
        assertThat(TagPattern.compile("v1.0+build").matches("v1.0+build")).isTrue();
        assertThat(TagPattern.compile("v1.0+build").matches("v1x00build")).isFalse();
    }

    @Test
    void aPatternThatCannotBeReadIsRefusedSayingWhy() {
        assertThatThrownBy(() -> TagPattern.compile("v[0-9"))
                .hasMessage("the '[' at position 2 opens no class of characters closed by ']'");
        assertThatThrownBy(() -> TagPattern.compile("v[9-0]"))
                .hasMessage("its [...] is not a range of characters, such as [0-9]");
        assertThatThrownBy(() -> TagPattern.compile(" ")).hasMessage("it is blank");
    }
}
