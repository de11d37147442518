package io.github.oauthjwt.example;

import io.github.oauthjwt.autoconfigure.OAuthJwtFilterCustomizer;
import io.github.oauthjwt.webflux.dpop.DpopOptions;
import io.github.oauthjwt.webflux.dpop.redis.RedisReplayStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * DPoP for the API's filter: the {@link DpopOptions} from {@code oauth-jwt.dpop.*}, and, when
 * {@code oauth-jwt.dpop.redis-uri} is set, the {@link RedisReplayStore} every node shares (closed
 * when the app stops).
 */
@Configuration(proxyBeanMethods = false)
public class DpopConfiguration {

    private static final Log log = LogFactory.getLog(DpopConfiguration.class);

    /** The Redis replay store, only with {@code oauth-jwt.dpop.redis-uri} set. */
    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("'${oauth-jwt.dpop.redis-uri:}' != ''")
    RedisReplayStore redisReplayStore(DpopProperties properties) {
        return RedisReplayStore.builder(properties.redisUri().trim()).build();
    }

    /**
     * Hands the DPoP and certificate-binding options to the filter, whichever builds it: the
     * starter's (a real authorization server) or the demo issuer's.
     */
    @Bean
    OAuthJwtFilterCustomizer senderConstraints(DpopOptions dpop, CertificateBindingProperties certificates) {
        return builder -> {
            builder.dpop(dpop);
            certificates.binding().ifPresent(builder::certificateBinding);
        };
    }

    /** The DPoP options of the filter. */
    @Bean
    DpopOptions dpopOptions(DpopProperties properties, ObjectProvider<RedisReplayStore> redis) {
        DpopOptions options = properties.options(redis.getIfAvailable());
        log.info("DPoP " + options.mode().name().toLowerCase(java.util.Locale.ROOT) + (options.mode() == DpopOptions.Mode.DISABLED
                ? "" : "; used proofs are remembered " + (properties.usesRedis() ? "in Redis at " + properties.redisUri()
                        + " (" + properties.onRedisFailure().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                        + " while it is down)" : "in this node's memory")));
        return options;
    }
}
