package io.github.oauthjwt.webflux.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.oauthjwt.webflux.OAuthJwtFilter;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;

/**
 * Sends one {@code Authorization} header through a real {@link OAuthJwtFilter} and checks what must
 * hold for every request, whatever it carries: the filter neither throws nor emits an error, it
 * answers within the time limit, never with a 5xx while the keys are available, a refusal carries
 * exactly one {@code WWW-Authenticate} challenge in the RFC 6750 §3 grammar (quoted values only of
 * {@code %x20-21 / %x23-5B / %x5D-7E}) and a JSON body that says the same, and nothing marked as
 * hostile input ({@link #MARKER}) is ever echoed. A request that reached the handler answered 200.
 */
final class FilterProbe {

    /** Put into hostile values that must never be echoed in a response. */
    static final String MARKER = "ZZINJECT";

    /** What the filter answers when validation itself fails unexpectedly: a bug, never expected. */
    private static final String UNEXPECTED = "The access token could not be validated.";

    private static final String QUOTED = "[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]*";
    private static final String ERRORS = "(invalid_request|invalid_token|insufficient_scope)";

    /** The answer to one request. */
    record Response(int status, boolean passed, @Nullable String error, @Nullable String description) {
    }

    private final OAuthJwtFilter filter;
    private final Pattern challenge;
    private final Pattern body = Pattern.compile("\\{\"error\":\"" + ERRORS + "\",\"error_description\":\"(" + QUOTED
            + ")\"(,\"scope\":\"" + QUOTED + "\")?}");

    FilterProbe(OAuthJwtFilter filter, String realm) {
        this.filter = filter;
        this.challenge = Pattern.compile("Bearer realm=\"" + Pattern.quote(realm) + "\"(, error=\"" + ERRORS
                + "\", error_description=\"(" + QUOTED + ")\"(, scope=\"" + QUOTED + "\")?)?");
    }

    /** Sends {@code authorization} (none when {@code null}); {@code context} names the case in failures. */
    Response send(@Nullable String authorization, String context) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/api/data");
        if (authorization != null) {
            request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        AtomicBoolean passed = new AtomicBoolean();
        WebFilterChain handler = passing -> {
            passed.set(true);
            passing.getResponse().setStatusCode(HttpStatus.OK);
            return passing.getResponse().setComplete();
        };
        try {
            filter.filter(exchange, handler).block(Duration.ofSeconds(10));
        } catch (Throwable error) {
            throw new AssertionError("The filter failed instead of answering (" + context + ")", error);
        }
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        assertThat(status).as("status (%s)", context).isNotNull();
        if (passed.get()) {
            assertThat(status.value()).as("status of a passed request (%s)", context).isEqualTo(200);
            return new Response(200, true, null, null);
        }
        assertThat(status.value()).as("status of a refusal (%s)", context).isIn(400, 401, 403);
        HttpHeaders headers = exchange.getResponse().getHeaders();
        List<String> challenges = headers.get(HttpHeaders.WWW_AUTHENTICATE);
        assertThat(challenges).as("WWW-Authenticate (%s)", context).hasSize(1);
        Matcher header = challenge.matcher(challenges.get(0));
        assertThat(header.matches()).as("WWW-Authenticate %s in the RFC 6750 grammar (%s)", challenges.get(0), context)
                .isTrue();
        assertThat(challenges.get(0)).as("WWW-Authenticate echoes no hostile input (%s)", context).doesNotContain(MARKER);
        assertThat(headers.getCacheControl()).as("Cache-Control (%s)", context).isEqualTo("no-store");
        assertThat(headers.get(HttpHeaders.RETRY_AFTER)).as("Retry-After (%s)", context).isNull();
        String error = header.group(2);
        String description = header.group(3);
        String json = exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(10));
        if (error == null) {
            assertThat(status.value()).as("a bare challenge is a 401 (%s)", context).isEqualTo(401);
            assertThat(json).as("body of a bare challenge (%s)", context).isNullOrEmpty();
        } else {
            Matcher bodyMatch = body.matcher(json);
            assertThat(bodyMatch.matches()).as("body %s (%s)", json, context).isTrue();
            assertThat(bodyMatch.group(1)).as("body error (%s)", context).isEqualTo(error);
            assertThat(bodyMatch.group(2)).as("body description (%s)", context).isEqualTo(description);
            assertThat(description).as("a validation bug (%s)", context).isNotEqualTo(UNEXPECTED);
        }
        return new Response(status.value(), false, error, description);
    }
}
