package io.heady.common.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;

/**
 * A member's own credential: its private key (it never leaves the machine), the certificate the cluster CA
 * issued for it, and the CA's certificate. Kept as PEM files in a folder (the key 0600).
 */
public record Credential(PrivateKey key, X509Certificate certificate, X509Certificate ca) {
  static final String KEY = "key.pem";
  static final String CERT = "cert.pem";
  static final String CA = "ca.pem";

  public String name() {
    return Pki.name(certificate);
  }

  public Pki.Role role() {
    return Pki.role(certificate);
  }

  /** The key and chain as a key manager for TLS (the event bus). */
  public X509KeyManager keyManager() {
    try {
      char[] pass = "heady".toCharArray();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("heady", key, pass, new X509Certificate[] {certificate, ca});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, pass);
      return (X509KeyManager) kmf.getKeyManagers()[0];
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot load the credential for TLS: " + e.getMessage(), e);
    }
  }

  /** Whether a credential is kept in {@code dir}. */
  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(KEY)) && Files.isRegularFile(dir.resolve(CERT))
        && Files.isRegularFile(dir.resolve(CA));
  }

  public static Credential load(Path dir) throws IOException {
    try {
      return new Credential(Pki.privateKey(Files.readString(dir.resolve(KEY))),
          Pki.certificate(Files.readString(dir.resolve(CERT))), Pki.certificate(Files.readString(dir.resolve(CA))));
    } catch (IllegalArgumentException e) {
      throw new IOException("the credential in " + dir + " is damaged (" + e.getMessage() + "); remove the folder"
          + " and enroll again", e);
    }
  }

  /** Writes the credential (the key readable by its owner only), each file atomically. */
  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    PrivateFile.write(dir.resolve(KEY), Pki.pem(key));
    write(dir.resolve(CERT), Pki.pem(certificate));
    write(dir.resolve(CA), Pki.pem(ca));
  }

  /** Reads a private key kept alone (a node's key while its enrollment waits). */
  public static KeyPair loadOrCreateKey(Path dir) throws IOException {
    Path k = dir.resolve(KEY);
    Path pub = dir.resolve("public.pem");
    if (Files.isRegularFile(k) && Files.isRegularFile(pub)) {
      return new KeyPair(Pki.publicKey(Files.readString(pub)), Pki.privateKey(Files.readString(k)));
    }
    KeyPair kp = Pki.newKeyPair();
    Files.createDirectories(dir);
    PrivateFile.write(k, Pki.pem(kp.getPrivate()));
    write(pub, Pki.pem(kp.getPublic()));
    return kp;
  }

  static void write(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

}
