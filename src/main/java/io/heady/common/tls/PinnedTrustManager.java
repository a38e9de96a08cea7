package io.heady.common.tls;

import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/**
 * Trusts exactly one server certificate, named by its SHA-256 fingerprint: how an agent trusts a manager's
 * self-signed certificate. The pin replaces both the CA chain and the host name check, so the agent may
 * reach the manager by any address.
 */
public final class PinnedTrustManager implements X509TrustManager {
  private final byte[] pin;

  public PinnedTrustManager(byte[] sha256) {
    if (sha256.length != 32) {
      throw new IllegalArgumentException("a SHA-256 pin is 32 bytes");
    }
    this.pin = sha256.clone();
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the server sent no certificate");
    }
    byte[] seen = Fingerprint.sha256(chain[0]);
    if (!MessageDigest.isEqual(seen, pin)) {
      throw new CertificateException("the server's certificate fingerprint " + Fingerprint.format(seen)
          + " is not the pinned " + Fingerprint.format(pin) + " (--manager-fingerprint)");
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("client certificates are not used");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
