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
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Makes a self-signed certificate and key (RSA 2048, ten years) as PEM files in a folder, with the JDK's
 * {@code keytool}: {@code cert.pem} (0644) and {@code key.pem} (0600). An existing pair is kept, so the
 * fingerprint agents pinned stays the same across restarts.
 */
public final class SelfSignedCert {
  private static final Pattern DNS = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");
  private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

  private SelfSignedCert() {}

  /** The cert and key paths in {@code dir}; creates them first if either is missing. */
  public static Path[] ensure(Path dir, List<String> names) throws IOException {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    if (Files.isRegularFile(cert) && Files.isRegularFile(key)) {
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
        "-ext", "SAN=" + san(names), "-keystore", store.toString(), "-storetype", "PKCS12",
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

  static String san(List<String> names) {
    Set<String> out = new LinkedHashSet<>(List.of("dns:localhost", "ip:127.0.0.1"));
    for (String n : names) {
      if (n == null || n.isBlank() || n.equals("0.0.0.0")) {
        continue;
      }
      if (IPV4.matcher(n).matches()) {
        out.add("ip:" + n);
      } else if (DNS.matcher(n).matches()) {
        out.add("dns:" + n);
      }
    }
    return String.join(",", new ArrayList<>(out));
  }

  private static String pem(String type, byte[] der) {
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
  }

}
