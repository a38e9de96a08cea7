package io.heady.common.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/** SHA-256 certificate fingerprints as operators see them: {@code AB:CD:…} (32 bytes, colon separated). */
public final class Fingerprint {
  private Fingerprint() {}

  /** The SHA-256 of a certificate's DER encoding, as raw bytes. */
  public static byte[] sha256(X509Certificate cert) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot fingerprint a certificate: " + e.getMessage(), e);
    }
  }

  /** Upper-case hex pairs joined by colons. */
  public static String format(byte[] digest) {
    return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
  }

  /**
   * Parses what an operator pasted: with or without colons, any case, optionally prefixed {@code sha256:}
   * or {@code SHA256 Fingerprint=} (as openssl prints it). Throws naming what is wrong.
   */
  public static byte[] parse(String text) {
    String t = text.trim();
    int eq = t.indexOf('=');
    if (eq >= 0) {
      t = t.substring(eq + 1);
    }
    if (t.toLowerCase(Locale.ROOT).startsWith("sha256:")) {
      t = t.substring(7);
    }
    t = t.replace(":", "").replace(" ", "");
    if (!t.matches("[0-9A-Fa-f]{64}")) {
      throw new IllegalArgumentException("a SHA-256 fingerprint is 64 hex digits (colons allowed), got '"
          + (text.length() > 100 ? text.substring(0, 100) + "…" : text) + "'");
    }
    return HexFormat.of().parseHex(t);
  }

  /** The first certificate of a PEM file. */
  public static X509Certificate readPem(Path pem) throws IOException {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (CertificateException | ClassCastException e) {
      throw new IOException(pem + " does not hold a PEM X.509 certificate: " + e.getMessage(), e);
    }
  }
}
