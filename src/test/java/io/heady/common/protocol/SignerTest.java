package io.heady.common.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignerTest {
  private static final Clock T0 = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private final Signer signer = Signer.of("join-token-of-the-cluster", T0);
  private final JsonObject payload = new JsonObject().put("node_id", "n1").put("x", 1);

  @Test
  void aSealedMessageOpensOnceAtItsAddress() {
    JsonObject env = signer.seal("heady.cluster.register", payload);
    assertEquals(payload, signer.open("heady.cluster.register", env));
    Signer.Refused again = assertThrows(Signer.Refused.class, () -> signer.open("heady.cluster.register", env));
    assertEquals("replayed message", again.getMessage());
  }

  @Test
  void unsignedForgedMovedOrTamperedMessagesAreRefused() {
    assertThrows(Signer.Refused.class, () -> signer.open("a", payload));
    assertThrows(Signer.Refused.class, () -> signer.open("a", "text"));
    Signer rogue = Signer.of("a-guess-at-the-token", T0);
    assertThrows(Signer.Refused.class, () -> signer.open("a", rogue.seal("a", payload)));
    assertThrows(Signer.Refused.class, () -> signer.open("b", signer.seal("a", payload)));
    JsonObject env = signer.seal("a", payload);
    env.put("p", payload.copy().put("x", 2).encode());
    assertEquals("bad signature", assertThrows(Signer.Refused.class, () -> signer.open("a", env)).getMessage());
  }

  @Test
  void messagesOutsideTheClockWindowAreRefused() {
    Clock late = Clock.offset(T0, Signer.DEFAULT_WINDOW.plusSeconds(1));
    Signer receiver = Signer.of("join-token-of-the-cluster", late);
    assertThrows(Signer.Refused.class, () -> receiver.open("a", signer.seal("a", payload)));
    Signer near = Signer.of("join-token-of-the-cluster", Clock.offset(T0, Duration.ofSeconds(30)));
    assertEquals(payload, near.open("a", signer.seal("a", payload)));
  }

  @Test
  void duringARotationBothTokensOpen() {
    Signer rotating = new Signer(() -> "new-token-new-token", () -> List.of("new-token-new-token",
        "join-token-of-the-cluster"), T0, Signer.DEFAULT_WINDOW);
    assertEquals(payload, rotating.open("a", signer.seal("a", payload)));
  }
}
