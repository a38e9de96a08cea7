package io.heady.common.tls;

import io.heady.common.config.Config;
import io.heady.common.config.ConfigException;
import io.heady.common.config.Keys;
import io.vertx.core.net.TrustOptions;
import io.vertx.core.http.HttpClientOptions;

/**
 * How an agent (or {@code heady bench}) trusts the manager's HTTPS certificate: a pinned SHA-256 fingerprint
 * (a self-signed manager), no check at all ({@code --tls-insecure}, tests only), or the JVM trust store with
 * host name verification (a certificate from a CA). Plain {@code http://} URLs are not affected.
 *
 * @param pin the pinned fingerprint, or {@code null}
 * @param insecure trust any certificate
 */
public record ClientTls(byte[] pin, boolean insecure) {
  public static final ClientTls DEFAULT = new ClientTls(null, false);

  public static ClientTls fromConfig(Config cfg) {
    String fp = cfg.string(Keys.MANAGER_FINGERPRINT);
    boolean insecure = cfg.bool(Keys.TLS_INSECURE);
    byte[] pin = null;
    if (fp != null && !fp.isBlank()) {
      try {
        pin = Fingerprint.parse(fp);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("--manager-fingerprint: " + e.getMessage());
      }
    }
    if (pin != null && insecure) {
      throw new ConfigException("--manager-fingerprint and --tls-insecure exclude each other; keep the pin");
    }
    return new ClientTls(pin, insecure);
  }

  /** A pin from a fingerprint as the manager prints it; {@code null}: the JVM trust store. */
  public static ClientTls pinned(String fingerprint) {
    return fingerprint == null ? DEFAULT : new ClientTls(Fingerprint.parse(fingerprint), false);
  }

  /** Applies this trust to client options (used only for {@code https://} requests). */
  public <T extends HttpClientOptions> T apply(T o) {
    if (insecure) {
      o.setTrustAll(true).setVerifyHost(false);
    } else if (pin != null) {
      // why: the pin names the one certificate to accept; a host name check adds nothing and would fail
      // for a self-signed certificate reached by an address it does not list
      o.setTrustOptions(TrustOptions.wrap(new PinnedTrustManager(pin))).setVerifyHost(false);
    }
    return o;
  }
}
