package io.heady.common.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.IdentityHashMap;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a key derived from a pair key. The IV comes from the sender and its nonce, which never
 * repeat under one key (a random prefix per sealer, then a counter), so no IV is ever used twice.
 */
final class Aead {
  private static final ThreadLocal<Map<byte[], SecretKeySpec>> KEYS = ThreadLocal.withInitial(IdentityHashMap::new);
  private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this Java", e);
    }
  });

  private Aead() {}

  /** A key for one use, derived from a pair key: {@code SHA-256("heady-<use>\n" + key)}. */
  static byte[] derive(byte[] key, String use) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(("heady-" + use + "\n").getBytes(StandardCharsets.US_ASCII));
      return d.digest(key);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SecretKeySpec key(byte[] pairKey) {
    Map<byte[], SecretKeySpec> m = KEYS.get();
    SecretKeySpec k = m.get(pairKey);
    if (k == null) {
      if (m.size() >= 256) {
        m.clear();
      }
      k = new SecretKeySpec(derive(pairKey, "enc"), "AES");
      m.put(pairKey, k);
    }
    return k;
  }

  private static GCMParameterSpec iv(String unique) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(unique.getBytes(StandardCharsets.UTF_8));
      return new GCMParameterSpec(128, h, 0, 12);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] encrypt(byte[] pairKey, byte[] aad, String unique, byte[] plain) {
    try {
      Cipher c = CIPHER.get();
      c.init(Cipher.ENCRYPT_MODE, key(pairKey), iv(unique));
      c.updateAAD(aad);
      return c.doFinal(plain);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot seal: " + e.getMessage(), e);
    }
  }

  /** The tag's length: what sealing adds to a plain text. */
  static final int TAG_BYTES = 16;

  /**
   * Encrypts {@code plain} into {@code out} from {@code offset} ({@code plain.length + TAG_BYTES} bytes): so a
   * sealed message is written once, straight into the frame that travels.
   */
  static void encryptInto(byte[] pairKey, byte[] aad, String unique, byte[] plain, byte[] out, int offset) {
    try {
      Cipher c = CIPHER.get();
      c.init(Cipher.ENCRYPT_MODE, key(pairKey), iv(unique));
      c.updateAAD(aad);
      c.doFinal(plain, 0, plain.length, out, offset);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot seal: " + e.getMessage(), e);
    }
  }

  /** The plain text, or {@link IllegalArgumentException} when the seal does not open (forged, altered). */
  static byte[] decrypt(byte[] pairKey, byte[] aad, String unique, byte[] sealed) {
    try {
      Cipher c = CIPHER.get();
      c.init(Cipher.DECRYPT_MODE, key(pairKey), iv(unique));
      c.updateAAD(aad);
      return c.doFinal(sealed);
    } catch (AEADBadTagException e) {
      throw new IllegalArgumentException("bad seal");
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("bad seal: " + e.getMessage());
    }
  }
}
