/**
 * Optional TLS for heady's HTTP transports: PEM or self-signed server certificates (manager API, node API)
 * and how an agent trusts the manager's certificate (its SHA-256 fingerprint, or the JVM trust store).
 */
package io.heady.common.tls;
