package io.github.oauthjwt.testing;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;

/**
 * A real HTTP JWKS endpoint on a {@link MockWebServer}, whose answer a test changes as it goes:
 * publish keys, answer an error status or garbage, stall the body, or hold every response until
 * released (to prove concurrent requests share one fetch). Counts the requests it received.
 */
public final class JwksServer implements AutoCloseable {

    private final MockWebServer server = new MockWebServer();
    private volatile MockResponse response;
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private final CountDownLatch firstRequest = new CountDownLatch(1);
    private final int[] received = new int[1];

    private JwksServer(String jwks) {
        publishJson(jwks, null);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                firstRequest.countDown();
                synchronized (received) {
                    received[0]++;
                    received.notifyAll();
                }
                if (!hold.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("held response was never released");
                }
                return response;
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A started server publishing these keys. */
    public static JwksServer serving(TestKey... keys) {
        return new JwksServer(TestTokens.jwks(keys));
    }

    /** From now on, publish these keys. */
    public JwksServer publish(TestKey... keys) {
        return publishJson(TestTokens.jwks(keys), null);
    }

    /** From now on, publish these keys with this {@code Cache-Control} header. */
    public JwksServer publish(String cacheControl, TestKey... keys) {
        return publishJson(TestTokens.jwks(keys), cacheControl);
    }

    /** From now on, answer 200 with this body. */
    public JwksServer publishJson(String body, String cacheControl) {
        MockResponse.Builder builder = new MockResponse.Builder().code(200)
                .setHeader("Content-Type", "application/json").body(body);
        if (cacheControl != null) {
            builder.setHeader("Cache-Control", cacheControl);
        }
        this.response = builder.build();
        return this;
    }

    /** From now on, answer 200 with this body sent in chunks, so without any {@code Content-Length}. */
    public JwksServer publishChunked(String body) {
        this.response = new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .chunkedBody(body, 1024).build();
        return this;
    }

    /** From now on, answer this status with a short text body. */
    public JwksServer failWith(int status) {
        this.response = new MockResponse.Builder().code(status).body("upstream trouble").build();
        return this;
    }

    /** From now on, send headers and then stall forever in the body. */
    public JwksServer stallBody() {
        this.response = new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body("{\"keys\":[]}").onResponseBody(SocketEffect.Stall.INSTANCE).build();
        return this;
    }

    /** Hold every response until {@link #release()}. */
    public JwksServer holdResponses() {
        this.hold = new CountDownLatch(1);
        return this;
    }

    /** Let held responses go. */
    public void release() {
        hold.countDown();
    }

    /** Waits (up to 10 s) until the first request has arrived. */
    public boolean awaitFirstRequest() throws InterruptedException {
        return firstRequest.await(10, TimeUnit.SECONDS);
    }

    /** Waits (up to 10 s) until at least {@code count} requests have arrived; whether they did. */
    public boolean awaitRequests(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (received) {
            while (received[0] < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(received, left);
            }
            return true;
        }
    }

    public URI uri() {
        return server.url("/jwks").uri();
    }

    /** How many requests the server received. */
    public int requestCount() {
        return server.getRequestCount();
    }

    @Override
    public void close() {
        hold.countDown();
        server.close();
    }
}
