package io.heady.common.identity;

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
 * A secret's value sealed for one attempt on one node: AES-256-GCM under a key derived from the node's
 * {@link PairKey} (so only that node and the manager can open it), with the task id, the lease and the variable
 * as associated data (so a sealed value copied into another dispatch, another attempt, another variable or
 * another node's message does not open). The nonce is random, 96 bits, and travels in front of the ciphertext;
 * the whole is base64.
 *
 * <p>The manager's own local executor has no pair key; the manager gives it a random key of the process's own
 * and seals for it the same way.
 */
public final class SecretSeal {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int NONCE = 12;

  private SecretSeal() {}

  /** The value sealed for the attempt ({@code taskId}, {@code leaseId}) as the variable {@code variable}. */
  public static String seal(byte[] pairKey, String taskId, String leaseId, String variable, byte[] value) {
    byte[] nonce = new byte[NONCE];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key(pairKey), new GCMParameterSpec(128, nonce));
      c.updateAAD(aad(taskId, leaseId, variable));
      byte[] ct = c.doFinal(value);
      return Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE + ct.length).put(nonce).put(ct).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot seal a secret: " + e.getMessage(), e);
    }
  }

  /**
   * The value, or {@link IllegalArgumentException} (which never quotes the value) when it does not open: sealed
   * for another node, another attempt or another variable, altered, or not a sealed value at all.
   */
  public static byte[] open(byte[] pairKey, String taskId, String leaseId, String variable, String sealed) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(sealed);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a sealed value (bad base64)");
    }
    if (raw.length < NONCE + 16) {
      throw new IllegalArgumentException("not a sealed value (too short)");
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key(pairKey), new GCMParameterSpec(128, raw, 0, NONCE));
      c.updateAAD(aad(taskId, leaseId, variable));
      return c.doFinal(raw, NONCE, raw.length - NONCE);
    } catch (AEADBadTagException e) {
      throw new IllegalArgumentException("the sealed value does not open here (sealed for another node, attempt or"
          + " variable, or altered)");
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the sealed value does not open: " + e.getMessage());
    }
  }

  private static SecretKeySpec key(byte[] pairKey) {
    if (pairKey == null || pairKey.length < 16) {
      throw new IllegalArgumentException("no key to seal or open secrets with");
    }
    // why: its own key, derived apart from the keys that seal and MAC messages (Aead's "enc" and "mac")
    return new SecretKeySpec(Aead.derive(pairKey, "secret"), "AES");
  }

  private static byte[] aad(String taskId, String leaseId, String variable) {
    return ("heady-secret-v1\n" + taskId + "\n" + leaseId + "\n" + variable).getBytes(StandardCharsets.UTF_8);
  }
}
