package io.github.oauthjwt.webflux.jwks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.Curve;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import org.junit.jupiter.api.Test;

/**
 * A key set knows its keys by identity: an equal key from another fetch is not "contained" until a
 * refetch that left it unchanged hands back the very same instance. With and without {@code kid}.
 */
class KeySetTests {

    private static final TestKey RSA = TestKey.rsa("rsa");
    private static final TestKey EC = TestKey.ec("ec", Curve.P_256);

    private final JwksParser parser = new JwksParser(100);

    private KeySet fetch(List<Map<String, Object>> entries) {
        return parser.parse(TestTokens.jwks(entries));
    }

    private static Map<String, Object> withoutKid(TestKey key) {
        Map<String, Object> jwk = key.publicJwk();
        jwk.remove("kid");
        return jwk;
    }

    @Test
    void containsItsOwnKeysOnlyNotEqualOnesFromAnotherFetch() {
        KeySet first = fetch(List.of(RSA.publicJwk(), withoutKid(EC)));
        KeySet second = fetch(List.of(RSA.publicJwk(), withoutKid(EC)));
        VerificationKey rsa = first.keys().get(0);
        VerificationKey ec = first.keys().get(1);

        assertThat(first.contains(rsa)).isTrue();
        assertThat(first.contains(ec)).isTrue();
        assertThat(second.contains(rsa)).isFalse();
        assertThat(second.contains(ec)).isFalse();
    }

    @Test
    void refetchThatLeftAKeyUnchangedKeepsItsInstance() {
        KeySet first = fetch(List.of(RSA.publicJwk(), withoutKid(EC)));
        KeySet refetched = fetch(List.of(withoutKid(EC), RSA.publicJwk())).reusingUnchangedKeysOf(first);

        assertThat(refetched.contains(first.keys().get(0))).isTrue();
        assertThat(refetched.contains(first.keys().get(1))).isTrue();
        assertThat(fetch(List.of(EC.publicJwk())).reusingUnchangedKeysOf(first).contains(first.keys().get(1))).isFalse();
    }
}
