/**
 * A DPoP {@link io.github.oauthjwt.webflux.dpop.ReplayStore} on Redis, for several API nodes behind
 * a load balancer: {@link io.github.oauthjwt.webflux.dpop.redis.RedisReplayStore}.
 */
@NullMarked
package io.github.oauthjwt.webflux.dpop.redis;

import org.jspecify.annotations.NullMarked;
