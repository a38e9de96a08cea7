package io.heady.common.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one check of a presented token, as the manager's API and the node API both use it. */
class TokenCheckTest {
  private static final byte[] KNOWN = TokenCheck.digest("ha_the-admin-token-0123456789");

  @Test
  void theSameSecretMatchesAndNothingElseDoes() {
    assertTrue(TokenCheck.matches(TokenCheck.presented("ha_the-admin-token-0123456789"), KNOWN));
    assertFalse(TokenCheck.matches(TokenCheck.presented("ha_the-admin-token-012345678"), KNOWN), "a prefix");
    assertFalse(TokenCheck.matches(TokenCheck.presented("HA_THE-ADMIN-TOKEN-0123456789"), KNOWN), "case");
  }

  @Test
  void nothingPresentedOrNothingKnownNeverMatches() {
    assertNull(TokenCheck.presented(null));
    assertNull(TokenCheck.presented(""));
    assertNull(TokenCheck.presented("x".repeat(TokenCheck.MAX_LENGTH + 1)), "too long to be a token");
    assertFalse(TokenCheck.matches(null, KNOWN));
    assertFalse(TokenCheck.matches(KNOWN, null));
    assertFalse(TokenCheck.matches(null, null), "no secret configured and none presented is not a match");
  }

  @Test
  void theBearerTokenOfAnAuthorizationHeader() {
    assertEquals("abc", TokenCheck.bearer("Bearer abc"));
    assertEquals("abc", TokenCheck.bearer("bearer  abc "));
    assertNull(TokenCheck.bearer("Basic abc"));
    assertNull(TokenCheck.bearer(null));
  }
}
