package dev.bluegreen.agent.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** The masking rule for step output. */
class SecretMaskerTest {

    @Test
    void valuesOfSettingsNamedLikeSecretsAreMaskedAndOthersAreNot() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(
                "bluegreen.ssh.private-key-passphrase", "correct horse",
                "DIGITALOCEAN_TOKEN", "dop_v1_abcdef",
                "webhook.secret", "shhh-secret",
                "DB_PASSWORD", "pa55word!",
                "bluegreen.apps.shop.branch", "release-candidate")));

        SecretMasker masker = SecretMasker.of(environment);

        assertThat(masker.mask("correct horse dop_v1_abcdef shhh-secret pa55word! release-candidate"))
                .isEqualTo("****** ****** ****** ****** release-candidate");
    }

    @Test
    void valuesTooShortToBeSecretsAreLeftAlone() {
        assertThat(SecretMasker.of(List.of("abc")).mask("abc")).isEqualTo("abc");
    }

    @Test
    void aPrivateKeyBlockIsMaskedFromItsBeginLineToItsEndLine() {
        SecretMasker masker = SecretMasker.of(List.of());

        assertThat(masker.maskText("""
                before
                -----BEGIN RSA PRIVATE KEY-----
                MIIEowIBAAKCAQEA
                -----END RSA PRIVATE KEY-----
                after""")).isEqualTo("before\n******\n******\n******\nafter");
    }
}
