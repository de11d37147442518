/**
 * The example application: the functional routes of the API, its {@code /health} route and CORS.
 * The filter for a real authorization server comes from the starter ({@code oauth-jwt.*}).
 */
@NullMarked
package io.github.oauthjwt.example;

import org.jspecify.annotations.NullMarked;
