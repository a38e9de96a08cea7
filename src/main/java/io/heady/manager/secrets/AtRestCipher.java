package io.heady.manager.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A secret's value as the store keeps it: AES-256-GCM under the secrets' key, a random 96-bit nonce in front, the
 * secret's name as associated data (so a ciphertext moved to another name in the store does not open), base64.
 */
final class AtRestCipher {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int NONCE = 12;

  private AtRestCipher() {}

  static String encrypt(byte[] key, String name, byte[] value) {
    byte[] nonce = new byte[NONCE];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
      c.updateAAD(aad(name));
      byte[] ct = c.doFinal(value);
      return Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE + ct.length).put(nonce).put(ct).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encrypt a secret: " + e.getMessage(), e);
    }
  }

  /** The value, or {@link IllegalArgumentException} when it does not open under this key for this name. */
  static byte[] decrypt(byte[] key, String name, String stored) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(stored);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the stored value of secret " + name + " is not base64");
    }
    if (raw.length < NONCE + 16) {
      throw new IllegalArgumentException("the stored value of secret " + name + " is too short");
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, raw, 0, NONCE));
      c.updateAAD(aad(name));
      return c.doFinal(raw, NONCE, raw.length - NONCE);
    } catch (AEADBadTagException e) {
      throw new IllegalArgumentException("the stored value of secret " + name + " does not open with this "
          + "manager's key (altered, moved from another name, or encrypted with another key)");
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the stored value of secret " + name + " does not open: "
          + e.getMessage());
    }
  }

  private static byte[] aad(String name) {
    return ("heady-secret-at-rest-v1\n" + name).getBytes(StandardCharsets.UTF_8);
  }
}
