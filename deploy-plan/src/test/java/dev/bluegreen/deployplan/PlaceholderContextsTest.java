package dev.bluegreen.deployplan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.bluegreen.sandbox.sampleapp.SampleAppSteps;
import dev.bluegreen.sandbox.sampleapp.Step;

/** Where a placeholder may stand in a deploy step: only where the shell takes its quoted value literally. */
class PlaceholderContextsTest {

    @Test
    void aPlaceholderInPlainCommandTextPasses() {
        assertThat(new String[] {
                "git fetch --prune --tags origin {{ref}}",
                "echo {{ref}} > REVISION",
                "kill -HUP \"$(cat /run/x.pid)\" && echo {{app}}",
                "echo \"$(git log -1 --format=%H {{commit}})\"", // a command substitution reads its words anew
                "# don't forget: the ref\necho {{ref}}",
                "x=$((1 + 2)); echo \"$x\" {{ref}}",
                "cat <<EOF\nplain text\nEOF\necho {{ref}}",
                "echo 'it'\\''s' {{ref}}",
                "printf '%s\\n' {{ref}} \"$PWD\"" })
                .allSatisfy(template -> assertThat(PlaceholderContexts.firstMisplaced(template)).as(template)
                        .isEmpty());
    }

    @Test
    void aPlaceholderInsideQuotesOrReadTwiceIsNamedWithWhereItStands() {
        assertThat(where("echo \"{{ref}}\" > REVISION")).startsWith("inside double quotes");
        assertThat(where("echo '{{ref}}'")).startsWith("inside single quotes");
        assertThat(where("echo $'a\\'{{ref}}'")).startsWith("inside $'...' quotes");
        assertThat(where("echo \"a $(date) {{ref}}\"")).startsWith("inside double quotes");
        assertThat(where("echo `echo {{ref}}`")).startsWith("inside backticks");
        assertThat(where("echo \"`echo {{ref}}`\"")).startsWith("inside backticks");
        assertThat(where("echo ${REF:-{{ref}}}")).startsWith("inside ${...}");
        assertThat(where("echo $(( {{deployment_id}} + 1 ))")).startsWith("inside $((...))");
        assertThat(where("cat > REVISION <<EOF\n{{ref}}\nEOF")).startsWith("inside a here-document");
        assertThat(where("cat > REVISION <<-'EOF'\n\tref: {{ref}}\n\tEOF")).startsWith("inside a here-document");
        assertThat(where("echo \"it's {{ref}}\"")).startsWith("inside double quotes");
    }

    /** After a backslash the value's opening quote is a plain character: its text stands unquoted, $(...) and all. */
    @Test
    void aPlaceholderRightAfterABackslashOrADollarIsRefused() {
        assertThat(where("echo \\{{ref}}")).startsWith("right after a backslash");
        assertThat(where("echo \"\\{{ref}}\"")).startsWith("right after a backslash");
        assertThat(where("echo ${{ref}}")).startsWith("right after a $");
    }

    @Test
    void theMisplacedOneIsNamedAmongSeveral() {
        assertThat(PlaceholderContexts.firstMisplaced("git fetch origin {{ref}} && echo \"{{commit}}\" {{app}}"))
                .hasValueSatisfying(misplaced -> {
                    assertThat(misplaced.placeholder()).isEqualTo("{{commit}}");
                    assertThat(misplaced.name()).isEqualTo("commit");
                });
    }

    @Test
    void theSandboxsStepsPass() {
        assertThat(SampleAppSteps.deploySteps()).extracting(Step::run).allSatisfy(run -> assertThat(
                PlaceholderContexts.firstMisplaced(run)).as(run).isEmpty());
    }

    private static String where(String template) {
        return PlaceholderContexts.firstMisplaced(template).orElseThrow(() -> new AssertionError(template))
                .where();
    }
}
