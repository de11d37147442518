package io.github.oauthjwt.webflux.jwks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.nimbusds.jose.JWSAlgorithm;
import org.jspecify.annotations.Nullable;

/**
 * An immutable set of usable verification keys, indexed by {@code kid}. Several keys may share a
 * {@code kid} (one RSA and one EC key, say); they are told apart by what fits the token's algorithm.
 */
public final class KeySet {

    private final List<VerificationKey> keys;
    private final Map<String, List<VerificationKey>> byKid;

    KeySet(List<VerificationKey> keys) {
        this.keys = List.copyOf(keys);
        Map<String, List<VerificationKey>> index = new HashMap<>();
        for (VerificationKey key : this.keys) {
            if (key.kid() != null) {
                index.computeIfAbsent(key.kid(), k -> new ArrayList<>(1)).add(key);
            }
        }
        // The per-kid lists never leave this class, so they stay as built.
        this.byKid = Collections.unmodifiableMap(index);
    }

    /** All keys, in the order the JWKS listed them. */
    public List<VerificationKey> keys() {
        return keys;
    }

    /** How many keys there are. */
    public int size() {
        return keys.size();
    }

    /**
     * The key for a token: with a {@code kid}, the first key of that {@code kid} that fits the
     * algorithm; without one, the only key that fits the algorithm (RFC 7515 §4.1.4), if exactly one
     * does. {@code null} when there is none.
     */
    public @Nullable VerificationKey find(@Nullable String kid, JWSAlgorithm alg) {
        if (kid != null) {
            List<VerificationKey> candidates = byKid.get(kid);
            if (candidates != null) {
                for (VerificationKey key : candidates) {
                    if (key.fits(alg)) {
                        return key;
                    }
                }
            }
            return null;
        }
        VerificationKey only = null;
        for (VerificationKey key : keys) {
            if (key.fits(alg)) {
                if (only != null) {
                    return null;
                }
                only = key;
            }
        }
        return only;
    }

    /** Whether any key has this {@code kid}. */
    public boolean hasKid(String kid) {
        return byKid.containsKey(kid);
    }

    /** Whether this very key (not an equal one) is still in the set. */
    public boolean contains(VerificationKey key) {
        String kid = key.kid();
        List<VerificationKey> candidates = kid != null ? byKid.get(kid) : keys;
        if (candidates != null) {
            for (VerificationKey candidate : candidates) {
                if (candidate == key) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * This key set, with every key that {@code previous} already held unchanged (same {@code kid},
     * type, curve, pinned algorithm and public key) replaced by the instance {@code previous} holds.
     * A refetch that did not change a key thus keeps it the very same object, which is how tokens
     * verified with it stay known to be verified ({@link #contains}). Runs once per fetch.
     */
    KeySet reusingUnchangedKeysOf(@Nullable KeySet previous) {
        if (previous == null) {
            return this;
        }
        List<VerificationKey> reused = new ArrayList<>(keys.size());
        for (VerificationKey key : keys) {
            VerificationKey same = previous.unchanged(key);
            reused.add(same != null ? same : key);
        }
        return new KeySet(reused);
    }

    private @Nullable VerificationKey unchanged(VerificationKey key) {
        List<VerificationKey> candidates = key.kid() != null ? byKid.get(key.kid()) : keys;
        if (candidates != null) {
            for (VerificationKey candidate : candidates) {
                if (Objects.equals(candidate.kid(), key.kid()) && candidate.keyType().equals(key.keyType())
                        && Objects.equals(candidate.curve(), key.curve())
                        && Objects.equals(candidate.algorithm(), key.algorithm())
                        && candidate.publicKey().getAlgorithm().equals(key.publicKey().getAlgorithm())
                        && Arrays.equals(candidate.publicKey().getEncoded(), key.publicKey().getEncoded())) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /** Why {@link #find} found nothing for this token. */
    KeyResolution.Reason whyMissing(@Nullable String kid) {
        if (kid == null) {
            return KeyResolution.Reason.NO_KID_AND_NO_SINGLE_FITTING_KEY;
        }
        return hasKid(kid) ? KeyResolution.Reason.KID_DOES_NOT_FIT_ALGORITHM : KeyResolution.Reason.UNKNOWN_KID;
    }

    /** The {@code kid}s, for diagnostics. */
    List<String> kids() {
        List<String> kids = new ArrayList<>(keys.size());
        for (VerificationKey key : keys) {
            kids.add(key.kid() != null ? key.kid() : "(no kid)");
        }
        return kids;
    }
}
