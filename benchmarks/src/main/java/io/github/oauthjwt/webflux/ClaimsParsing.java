package io.github.oauthjwt.webflux;

/**
 * Lets the benchmarks call the library's package-private depth scan exactly as
 * {@code TokenParser} does. It lives in the benchmarks module under the library's package name
 * (both end up on one class path), so the library keeps its visibility unchanged. Plain static
 * calls: no logic of its own, nothing that the JIT would not inline.
 */
public final class ClaimsParsing {

    private ClaimsParsing() {
    }

    /** {@code TokenParser.nestsDeeperThan(json, maxDepth)}: the linear depth scan that bounds what nimbus parses. */
    public static boolean nestsDeeperThan(String json, int maxDepth) {
        return TokenParser.nestsDeeperThan(json, maxDepth);
    }
}
