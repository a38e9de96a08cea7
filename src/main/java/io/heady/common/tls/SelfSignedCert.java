package io.heady.common.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a self-signed certificate and key (RSA 2048, ten years) as PEM files in a folder, with the JDK's
 * {@code keytool}: {@code cert.pem} (0644) and {@code key.pem} (0600), naming the hosts of {@link CertNames}.
 * An existing pair is always kept, so the fingerprint agents and clients pinned stays the same across restarts;
 * one that does not name the advertised host is kept with a warning that says how to make a new one.
 */
public final class SelfSignedCert {
  private static final Logger LOG = LoggerFactory.getLogger(SelfSignedCert.class);

  private SelfSignedCert() {}

  /**
   * The cert and key paths in {@code dir}; creates them first if either is missing. A kept certificate that
   * does not name {@code advertised} (may be {@code null}) is logged as a warning.
   *
   * @param names the operator's names for this server; this machine's host name and addresses are added
   */
  public static Path[] ensure(Path dir, List<String> names, String advertised) throws IOException {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    if (Files.isRegularFile(cert) && Files.isRegularFile(key)) {
      if (!covers(Fingerprint.readPem(cert), advertised)) {
        // why: never replaced by itself: a new certificate has a new fingerprint, and every agent, standby
        // (which may share this pair) and client pinning the old one would stop at once; pinned clients do
        // not need the name, only those that verify the certificate the usual way (a trust store, --cacert)
        LOG.warn("the self-signed certificate {} does not name the advertised host {}: clients that check it by"
            + " name (a trust store, curl --cacert) refuse it; pinned ones (--manager-fingerprint) do not care."
            + " To make one that names it, stop the manager and delete {}; its new fingerprint must then be"
            + " given to every agent and client", cert, advertised, dir);
      }
      return new Path[] {cert, key};
    }
    Files.createDirectories(dir);
    Path store = dir.resolve("self-signed.p12.tmp");
    Files.deleteIfExists(store);
    byte[] raw = new byte[18];
    new SecureRandom().nextBytes(raw);
    String pass = HexFormat.of().formatHex(raw);
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    if (!Files.isExecutable(keytool)) {
      throw new IOException("keytool is not in this Java (" + keytool + "); give --tls-cert and --tls-key instead");
    }
    // why: argv, never a shell; the SAN entries are checked names and addresses
    List<String> cmd = List.of(keytool.toString(), "-genkeypair", "-alias", "heady", "-keyalg", "RSA",
        "-keysize", "2048", "-sigalg", "SHA256withRSA", "-validity", "3650", "-dname", "CN=heady",
        "-ext", "SAN=" + String.join(",", CertNames.san(names, CertNames.localHostName(),
            CertNames.localAddresses())), "-keystore", store.toString(), "-storetype", "PKCS12",
        "-storepass:env", "HEADY_TLS_PASS", "-keypass:env", "HEADY_TLS_PASS", "-noprompt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("HEADY_TLS_PASS", pass);
    Process p = pb.start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException("keytool failed: " + out.trim());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while making a certificate", e);
    }
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        ks.load(in, pass.toCharArray());
      }
      Key k = ks.getKey("heady", pass.toCharArray());
      Certificate c = ks.getCertificate("heady");
      io.heady.common.identity.PrivateFile.write(key, pem("PRIVATE KEY", k.getEncoded()));
      Path tmp = cert.resolveSibling("cert.pem.tmp");
      Files.writeString(tmp, pem("CERTIFICATE", c.getEncoded()), StandardCharsets.US_ASCII);
      Files.move(tmp, cert, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the generated key store: " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(store);
    }
    return new Path[] {cert, key};
  }

  private static boolean covers(X509Certificate cert, String host) throws IOException {
    if (host == null || host.isBlank()) {
      return true;
    }
    try {
      return CertNames.covers(cert.getSubjectAlternativeNames(), host);
    } catch (CertificateParsingException e) {
      throw new IOException("cannot read the names of the certificate: " + e.getMessage(), e);
    }
  }

  private static String pem(String type, byte[] der) {
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
  }

}
