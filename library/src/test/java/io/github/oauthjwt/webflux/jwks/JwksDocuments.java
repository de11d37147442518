package io.github.oauthjwt.webflux.jwks;

/**
 * The library's own JWKS parser, opened to tests in other packages (it is package-private): what
 * keys a JWKS document yields, judged exactly as {@link JwksKeySource} judges a fetched one.
 */
public final class JwksDocuments {

    private JwksDocuments() {
    }

    /**
     * The usable keys of {@code json}, with the default key-count cap.
     *
     * @throws JwksFetchException when the document is not a JWKS or leaves no usable key
     */
    public static KeySet parse(String json) {
        return new JwksParser(JwksKeySource.Builder.DEFAULT_MAX_KEYS).parse(json);
    }
}
