package io.heady.common.tls;

import io.heady.common.config.Config;
import io.heady.common.config.ConfigException;
import io.heady.common.config.Keys;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * HTTPS for one of heady's HTTP servers (the manager API or an agent's node API), or none.
 *
 * @param cert PEM certificate (chain), {@code null}: plain HTTP
 * @param key PEM private key (PKCS#8 or PKCS#1)
 * @param fingerprint SHA-256 of the leaf certificate, what agents pin
 * @param selfSigned whether heady made the certificate
 */
public record ServerTls(Path cert, Path key, String fingerprint, boolean selfSigned) {
  public static final ServerTls NONE = new ServerTls(null, null, null, false);

  public boolean enabled() {
    return cert != null;
  }

  /** {@code https} or {@code http}. */
  public String scheme() {
    return enabled() ? "https" : "http";
  }

  public HttpServerOptions apply(HttpServerOptions o) {
    if (enabled()) {
      o.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString())
          .setKeyPath(key.toString()));
    }
    return o;
  }

  /** {@link #fromConfig(Config, Path, List, String)} with no advertised host (an agent's node API). */
  public static ServerTls fromConfig(Config cfg, Path dataDir, List<String> names) {
    return fromConfig(cfg, dataDir, names, null);
  }

  /**
   * Reads {@code --tls-cert}/{@code --tls-key} or makes a self-signed pair in {@code <data-dir>/tls}
   * ({@code --tls-self-signed}); {@code names} (and this machine's host name and addresses) go into the
   * self-signed certificate's subject alternative names; a kept certificate that does not name
   * {@code advertised} is kept with a warning. Every problem stops the process with one line naming the flag.
   */
  public static ServerTls fromConfig(Config cfg, Path dataDir, List<String> names, String advertised) {
    String c = cfg.string(Keys.TLS_CERT);
    String k = cfg.string(Keys.TLS_KEY);
    boolean self = cfg.bool(Keys.TLS_SELF_SIGNED);
    boolean given = !c.isBlank() || !k.isBlank();
    if (given && self) {
      throw new ConfigException("--tls-self-signed and --tls-cert/--tls-key exclude each other");
    }
    if (given && (c.isBlank() || k.isBlank())) {
      throw new ConfigException("--tls-cert and --tls-key go together: give both PEM files");
    }
    if (!given && !self) {
      return NONE;
    }
    Path cert;
    Path key;
    if (self) {
      try {
        Path[] pair = SelfSignedCert.ensure(dataDir.resolve("tls"), names, advertised);
        cert = pair[0];
        key = pair[1];
      } catch (IOException e) {
        throw new ConfigException("--tls-self-signed: " + e.getMessage());
      }
    } else {
      cert = Path.of(c);
      key = Path.of(k);
      if (!Files.isReadable(cert)) {
        throw new ConfigException("--tls-cert: cannot read " + cert);
      }
      if (!Files.isReadable(key)) {
        throw new ConfigException("--tls-key: cannot read " + key);
      }
    }
    try {
      String fp = Fingerprint.format(Fingerprint.sha256(Fingerprint.readPem(cert)));
      return new ServerTls(cert, key, fp, self);
    } catch (IOException e) {
      throw new ConfigException((self ? "--tls-self-signed: " : "--tls-cert: ") + e.getMessage());
    }
  }
}
