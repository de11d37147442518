package io.github.oauthjwt.webflux;

import java.util.ArrayList;
import java.util.List;

import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/** The paths a filter secures, as Spring {@link PathPattern}s; none given means every path. Immutable. */
final class SecuredPaths {

    private final List<PathPattern> patterns;

    /**
     * Parses the patterns.
     *
     * @throws org.springframework.web.util.pattern.PatternParseException if one is not a path pattern
     */
    SecuredPaths(List<String> patterns) {
        List<PathPattern> parsed = new ArrayList<>();
        for (String pattern : patterns.isEmpty() ? List.of("/**") : patterns) {
            parsed.add(PathPatternParser.defaultInstance.parse(pattern));
        }
        this.patterns = List.copyOf(parsed);
    }

    /** Whether the request's path within the application matches one of the patterns. */
    boolean cover(ServerHttpRequest request) {
        PathContainer path = request.getPath().pathWithinApplication();
        for (PathPattern pattern : patterns) {
            if (pattern.matches(path)) {
                return true;
            }
        }
        return false;
    }
}
