package dev.bluegreen.apps;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which refs may reach a droplet: git's own rules, and nothing a shell reads as code. */
class GitRefTest {

    @Test
    void branchesTagsAndCommitsAsPeopleNameThemPass() {
        assertThat(new String[] { "main", "v1.4.0", "release/2026/11", "feature/login+sso", "user@host-fix",
                "3f2a9c1", "HEAD" }).allSatisfy(ref -> assertThat(GitRef.brokenRule(ref)).as(ref).isEmpty());
    }

    @Test
    void aRefThatWouldRunCodeInAShellIsRefusedWhereverATemplatePutsIt() {
        assertThat(GitRef.brokenRule("$(curl${IFS}x|sh)")).hasValueSatisfying(rule -> assertThat(rule)
                .contains("may hold only ASCII letters, digits and . _ - / + @"));
        assertThat(new String[] { "v2; touch pwned", "`id`", "a|b", "a&b", "'quoted'", "\"double\"", "a>b",
                "$HOME", "a!b", "{a,b}" }).allSatisfy(ref -> assertThat(GitRef.brokenRule(ref)).as(ref).isPresent());
    }

    @Test
    void aRefThatGitWouldRefuseIsRefusedNamingGitsRule() {
        assertThat(GitRef.brokenRule("../../etc")).contains("must not contain '..' (git's rule)");
        assertThat(GitRef.brokenRule("-upload-pack=x")).contains("must not start with '-'");
        assertThat(GitRef.brokenRule("main.lock")).contains("must not have a part that ends with '.lock' (git's rule)");
        assertThat(GitRef.brokenRule("a@{1}")).isPresent();
        assertThat(GitRef.brokenRule("bl\u00f6g")).isPresent();
        assertThat(GitRef.brokenRule("tab\there")).contains("must not contain spaces or control characters");
    }

    @Test
    void anEmptyOrOverlongRefIsRefusedWithoutBeingQuoted() {
        assertThat(GitRef.brokenRule("")).contains("must not be empty");
        assertThat(GitRef.brokenRule("a".repeat(GitRef.LONGEST))).isEmpty();
        assertThat(GitRef.brokenRule("a".repeat(GitRef.LONGEST + 1)))
                .contains("must not be longer than 255 characters");
    }

    @Test
    void aCommitIsSevenToSixtyFourLowerCaseHexDigits() {
        assertThat(GitRef.isCommitId("3f2a9c1")).isTrue();
        assertThat(GitRef.isCommitId("a".repeat(64))).isTrue();
        assertThat(GitRef.isCommitId("3f2a9c")).isFalse();
        assertThat(GitRef.isCommitId("3F2A9C1")).isFalse();
        assertThat(GitRef.isCommitId("$(id)abc1234")).isFalse();
    }
}
