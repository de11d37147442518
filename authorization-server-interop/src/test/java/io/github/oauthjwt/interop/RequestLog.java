package io.github.oauthjwt.interop;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Records every request the authorization server receives, as {@code METHOD /path}, in the order
 * they arrive, before any other filter sees them (the server's endpoints are filters of Spring
 * Security's chain, so a request never reaches a controller). Safe to read while requests arrive.
 */
final class RequestLog implements Filter {

    private final List<String> requests = new CopyOnWriteArrayList<>();

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        requests.add(http.getMethod() + " " + http.getRequestURI());
        chain.doFilter(request, response);
    }

    /** The requests received so far, oldest first. */
    List<String> requests() {
        return List.copyOf(requests);
    }
}
