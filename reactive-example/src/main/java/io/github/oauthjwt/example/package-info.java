/**
 * The example application: its settings, the filter beans for a real authorization server, and
 * the functional routes of the API.
 */
@NullMarked
package io.github.oauthjwt.example;

import org.jspecify.annotations.NullMarked;
