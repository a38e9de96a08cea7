package io.heady.common.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The one way heady compares a presented secret (a bearer token) with the ones it knows, on the manager's API
 * and on the node API alike: as SHA-256 digests of equal length, compared with {@link MessageDigest#isEqual},
 * so neither the content nor the length of a token leaks through timing. A caller that knows several secrets
 * compares every one (no early exit) and only then decides.
 */
public final class TokenCheck {
  /** Longer presented secrets are refused before any digest is made (no work for an attacker's megabyte). */
  public static final int MAX_LENGTH = 4096;
  private static final byte[] NONE = new byte[32];

  private TokenCheck() {}

  /** The SHA-256 digest of a secret: what is kept and compared, never the secret. */
  public static byte[] digest(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The digest of a presented secret, or {@code null} when it cannot be a token (none, empty, too long). */
  public static byte[] presented(String secret) {
    return secret == null || secret.isEmpty() || secret.length() > MAX_LENGTH ? null : digest(secret);
  }

  /**
   * Whether a presented digest ({@link #presented}) is a known one, in constant time. Either may be
   * {@code null} (nothing presented, nothing known): then it is not, after the same comparison.
   */
  public static boolean matches(byte[] presented, byte[] known) {
    boolean same = MessageDigest.isEqual(presented == null ? NONE : presented, known == null ? NONE : known);
    return same & presented != null & known != null;
  }

  /** The token of an {@code Authorization: Bearer <token>} header, or {@code null} when there is none. */
  public static String bearer(String authorization) {
    return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        ? authorization.substring(7).trim() : null;
  }
}
