package io.heady.common.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly one server certificate, named by its SHA-256 fingerprint: how agents, the CLI and the SDK
 * trust a manager's self-signed certificate. The pin replaces both the CA chain and the host name check, so a
 * manager may be reached by any address.
 */
public final class PinnedTrustManager extends X509ExtendedTrustManager {
  private final byte[] pin;

  public PinnedTrustManager(byte[] sha256) {
    if (sha256.length != 32) {
      throw new IllegalArgumentException("a SHA-256 pin is 32 bytes");
    }
    this.pin = sha256.clone();
  }

  /** A TLS context that trusts only the pinned certificate (for {@code java.net.http} clients). */
  public static SSLContext sslContext(byte[] sha256) {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new PinnedTrustManager(sha256)}, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this Java has no TLS: " + e.getMessage(), e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the server sent no certificate");
    }
    byte[] seen = Fingerprint.sha256(chain[0]);
    if (!MessageDigest.isEqual(seen, pin)) {
      throw new CertificateException("certificate fingerprint mismatch: expected the pinned "
          + Fingerprint.format(pin) + " (--manager-fingerprint), got " + Fingerprint.format(seen)
          + "; compare with the fingerprint the manager printed at start: a different one means another server"
          + " answers at that address, or the manager's certificate changed");
    }
  }

  // why: the extended variants are what JSSE calls; as an X509ExtendedTrustManager this class is not wrapped
  // in the JDK's host name check, which a pin replaces (a self-signed certificate reached by an address it
  // does not list would fail it, and the pin already names the one certificate to accept)
  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("client certificates are not used");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
