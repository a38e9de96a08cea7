package io.heady.common.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * A secret sealed for one attempt on one node opens there only: with the pair key of that node (derived on
 * either side from the real keys), for that task, that lease and that variable.
 */
class SecretSealTest {
  private final KeyPair manager = Pki.newKeyPair();
  private final KeyPair node = Pki.newKeyPair();
  private final KeyPair other = Pki.newKeyPair();
  private final byte[] managerSide = PairKey.derive(manager.getPrivate(), node.getPublic(), "n1");
  private final byte[] nodeSide = PairKey.derive(node.getPrivate(), manager.getPublic(), "n1");
  private final byte[] value = "s3cr3t value ✓".getBytes(StandardCharsets.UTF_8);

  @Test
  void theNodeOpensWhatTheManagerSealedForThatAttempt() {
    String sealed = SecretSeal.seal(managerSide, "t1", "lease-1", "API_KEY", value);
    assertArrayEquals(value, SecretSeal.open(nodeSide, "t1", "lease-1", "API_KEY", sealed));
    assertFalse(new String(Base64.getDecoder().decode(sealed), StandardCharsets.ISO_8859_1).contains("s3cr3t"),
        "the value does not show through");
    assertNotEquals(sealed, SecretSeal.seal(managerSide, "t1", "lease-1", "API_KEY", value), "a fresh nonce each time");
  }

  @Test
  void anotherLeaseTaskVariableOrNodeDoesNotOpenIt() {
    String sealed = SecretSeal.seal(managerSide, "t1", "lease-1", "API_KEY", value);
    assertRefused(() -> SecretSeal.open(nodeSide, "t1", "lease-2", "API_KEY", sealed), "another lease");
    assertRefused(() -> SecretSeal.open(nodeSide, "t2", "lease-1", "API_KEY", sealed), "another task");
    assertRefused(() -> SecretSeal.open(nodeSide, "t1", "lease-1", "OTHER", sealed), "another variable");
    byte[] otherNode = PairKey.derive(other.getPrivate(), manager.getPublic(), "n2");
    assertRefused(() -> SecretSeal.open(otherNode, "t1", "lease-1", "API_KEY", sealed), "another node's key");
    byte[] raw = Base64.getDecoder().decode(sealed);
    raw[raw.length - 1] ^= 1;
    String altered = Base64.getEncoder().encodeToString(raw);
    assertRefused(() -> SecretSeal.open(nodeSide, "t1", "lease-1", "API_KEY", altered), "altered");
    assertRefused(() -> SecretSeal.open(nodeSide, "t1", "lease-1", "API_KEY", "not base64!"), "garbage");
    assertRefused(() -> SecretSeal.open(nodeSide, "t1", "lease-1", "API_KEY", "AAAA"), "too short");
  }

  private void assertRefused(org.junit.jupiter.api.function.Executable open, String what) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, open, what);
    assertFalse(e.getMessage().contains("s3cr3t"), "the message never quotes the value: " + e.getMessage());
    assertTrue(e.getMessage().length() > 10, what + ": " + e.getMessage());
  }
}
