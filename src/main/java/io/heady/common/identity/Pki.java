package io.heady.common.identity;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The cluster's certificates: EC P-256 keys, certificates issued by the cluster CA that the manager makes on
 * first start, PEM in and out. A certificate names its holder ({@code CN}, a node id, {@code manager} or a
 * client name) and its role ({@code OU}: {@code ca}, {@code manager}, {@code node}, {@code client}); who
 * trusts what is decided by {@link ClusterTrust}, not by host names.
 */
public final class Pki {
  /** What a certificate's holder is in the cluster. */
  public enum Role {
    CA, MANAGER, NODE, CLIENT;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final String EC_SHA256 = "1.2.840.10045.4.3.2";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Pki() {}

  /** A new EC P-256 key pair. */
  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 is not available in this Java", e);
    }
  }

  /** A self-signed CA certificate for the cluster. */
  public static X509Certificate ca(String name, KeyPair kp, Instant from, Instant to) {
    return issue(name, Role.CA, kp.getPublic(), name, kp.getPrivate(), from, to);
  }

  /**
   * A certificate for {@code subjectKey}, issued by the CA whose name and private key are given.
   *
   * @param name the holder: a node id, {@code manager} or a client name
   */
  public static X509Certificate issue(String name, Role role, PublicKey subjectKey, String issuerName,
      PrivateKey issuerKey, Instant from, Instant to) {
    BigInteger serial = new BigInteger(64, RANDOM).setBit(63);
    byte[] alg = Der.sequence(Der.oid(EC_SHA256));
    byte[] ext;
    if (role == Role.CA) {
      ext = Der.concat(
          Der.sequence(Der.oid("2.5.29.19"), Der.bool(true), Der.octets(Der.sequence(Der.bool(true)))),
          Der.sequence(Der.oid("2.5.29.15"), Der.bool(true), Der.octets(Der.namedBits(5, 6))));
    } else {
      ext = Der.concat(
          Der.sequence(Der.oid("2.5.29.19"), Der.bool(true), Der.octets(Der.sequence())),
          Der.sequence(Der.oid("2.5.29.15"), Der.bool(true), Der.octets(Der.namedBits(0))),
          Der.sequence(Der.oid("2.5.29.37"), Der.octets(Der.sequence(Der.oid("1.3.6.1.5.5.7.3.1"),
              Der.oid("1.3.6.1.5.5.7.3.2")))));
    }
    byte[] tbs = Der.sequence(
        Der.explicit(0, Der.integer(BigInteger.TWO)),
        Der.integer(serial),
        alg,
        name(issuerName, Role.CA),
        Der.sequence(Der.time(from), Der.time(to)),
        name(name, role),
        subjectKey.getEncoded(),
        Der.explicit(3, Der.sequence(ext)));
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(issuerKey);
      s.update(tbs);
      byte[] cert = Der.sequence(tbs, alg, Der.bits(s.sign()));
      return parse(cert);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a certificate: " + e.getMessage(), e);
    }
  }

  private static byte[] name(String cn, Role role) {
    return Der.sequence(
        Der.set(Der.sequence(Der.oid("2.5.4.10"), Der.utf8("heady"))),
        Der.set(Der.sequence(Der.oid("2.5.4.11"), Der.utf8(role.wire()))),
        Der.set(Der.sequence(Der.oid("2.5.4.3"), Der.utf8(cn))));
  }

  private static X509Certificate parse(byte[] der) throws GeneralSecurityException {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(der));
  }

  /** The holder's name ({@code CN}). */
  public static String name(X509Certificate c) {
    return attribute(c, "CN");
  }

  /** The holder's role ({@code OU}), or {@code null} when the certificate has none heady knows. */
  public static Role role(X509Certificate c) {
    String ou = attribute(c, "OU");
    for (Role r : Role.values()) {
      if (r.wire().equals(ou)) {
        return r;
      }
    }
    return null;
  }

  private static String attribute(X509Certificate c, String type) {
    try {
      for (Rdn r : new LdapName(c.getSubjectX500Principal().getName()).getRdns()) {
        if (r.getType().equalsIgnoreCase(type)) {
          return String.valueOf(r.getValue());
        }
      }
    } catch (javax.naming.InvalidNameException e) {
      return null;
    }
    return null;
  }

  /** Whether {@code c} was signed by {@code ca}'s key and is valid at {@code now}. */
  public static boolean issuedBy(X509Certificate c, X509Certificate ca, Instant now) {
    try {
      c.verify(ca.getPublicKey());
      c.checkValidity(java.util.Date.from(now));
      return c.getIssuerX500Principal().equals(ca.getSubjectX500Principal());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  // ---- PEM ----------------------------------------------------------------------------------------------

  public static String pem(X509Certificate c) {
    try {
      return pem("CERTIFICATE", c.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String pem(PrivateKey k) {
    return pem("PRIVATE KEY", k.getEncoded());
  }

  public static String pem(PublicKey k) {
    return pem("PUBLIC KEY", k.getEncoded());
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  private static byte[] unpem(String type, String text) {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int a = text == null ? -1 : text.indexOf(begin);
    int b = a < 0 ? -1 : text.indexOf(end, a);
    if (a < 0 || b < 0) {
      throw new IllegalArgumentException("not a PEM " + type.toLowerCase(Locale.ROOT));
    }
    return Base64.getMimeDecoder().decode(text.substring(a + begin.length(), b));
  }

  public static X509Certificate certificate(String pem) {
    try {
      return parse(unpem("CERTIFICATE", pem));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a certificate: " + e.getMessage());
    }
  }

  public static PrivateKey privateKey(String pem) {
    try {
      return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(unpem("PRIVATE KEY", pem)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an EC private key: " + e.getMessage());
    }
  }

  /** An EC P-256 public key from PEM; anything else is refused. */
  public static PublicKey publicKey(String pem) {
    try {
      PublicKey k = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(unpem("PUBLIC KEY", pem)));
      if (!(k instanceof java.security.interfaces.ECPublicKey ec) || ec.getParams().getCurve().getField()
          .getFieldSize() != 256) {
        throw new IllegalArgumentException("the public key must be EC P-256");
      }
      return k;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an EC public key: " + e.getMessage());
    }
  }

  /** The SHA-256 fingerprint of a public key, hex: what an operator compares when approving a node. */
  public static String fingerprint(PublicKey k) {
    try {
      return java.util.HexFormat.ofDelimiter(":").withUpperCase().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(k.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- proof of possession ------------------------------------------------------------------------------

  /** Signs {@code data} with an EC private key (SHA256withECDSA), Base64. */
  public static String sign(PrivateKey k, byte[] data) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(k);
      s.update(data);
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether {@code sig} (Base64) is {@code k}'s signature of {@code data}. */
  public static boolean verify(PublicKey k, byte[] data, String sig) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initVerify(k);
      s.update(data);
      return s.verify(Base64.getDecoder().decode(sig));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }
}
