package io.github.oauthjwt.webflux;

import com.nimbusds.jose.JWSHeader;
import org.jspecify.annotations.Nullable;

/**
 * The JOSE headers of recent tokens, each parsed once. An authorization server signs every token
 * with one of a few keys, so nearly every token's header segment is one of a handful of identical
 * strings; a hit saves decoding the segment and parsing its JSON (a few microseconds and kilobytes
 * per token). Looked up by the exact base64url segment, so a hit is the header that parsing the
 * segment would give.
 *
 * <p>Holds at most {@value #CAPACITY} headers, the most recently added first; only segments that
 * parsed as JWS headers within the limits are added. Thread-safe and lock-free: a lookup reads an
 * immutable snapshot, an addition replaces it (an addition lost to a race is merely parsed again).
 */
final class RecentHeaders {

    /** Enough for the keys of a rotation or two, few enough to scan. */
    static final int CAPACITY = 8;

    private record Entry(String segment, JWSHeader header) {
    }

    private volatile Entry[] entries = new Entry[0];

    /** The header parsed from exactly this segment, or {@code null} if it is not among the recent ones. */
    @Nullable JWSHeader find(String segment) {
        return find(segment, segment.length());
    }

    /**
     * The header parsed from exactly {@code token[0, segmentEnd)}, or {@code null} if it is not among
     * the recent ones: {@link #find(String)} without copying the segment out of the token.
     */
    @Nullable JWSHeader find(String token, int segmentEnd) {
        for (Entry entry : entries) {
            String segment = entry.segment();
            if (segment.length() == segmentEnd && token.startsWith(segment)) {
                return entry.header();
            }
        }
        return null;
    }

    /** Remembers the header parsed from {@code segment}, dropping the oldest one when full. */
    void remember(String segment, JWSHeader header) {
        Entry[] current = entries;
        for (Entry entry : current) {
            if (entry.segment().equals(segment)) {
                return;
            }
        }
        Entry[] next = new Entry[Math.min(current.length + 1, CAPACITY)];
        next[0] = new Entry(segment, header);
        System.arraycopy(current, 0, next, 1, next.length - 1);
        entries = next;
    }
}
