package io.heady.common.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The event bus's sealed frame ({@link BusEnvelope}): the payload's JSON text encoded once and sealed over the
 * exact bytes that travel, so any byte changed on the way, a replay, or another key is refused.
 */
class BusSealTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
  private static final String ADDRESS = "heady.node.a.dispatch.batch";
  private final byte[] ka = key(1);
  private final byte[] kb = key(2);
  private final Seal manager = new Seal(Seal.MANAGER, Map.of("a", ka, "b", kb)::get, CLOCK, Seal.DEFAULT_WINDOW);
  private final Seal a = Seal.node("a", ka, CLOCK);
  private final JsonObject dispatch = new JsonObject().put("dispatches", new JsonArray().add(new JsonObject()
      .put("task_id", "t-1").put("lease_id", "l-1").put("command", "echo ünïcode").put("timeout_ms", 1000)));

  private static byte[] key(int seed) {
    byte[] k = new byte[32];
    k[0] = (byte) seed;
    return k;
  }

  @Test
  void theFrameHoldsThePayloadTextOnceAndOpensToTheSameObject() {
    Buffer sealed = manager.seal(ADDRESS, dispatch, "a");
    int text = dispatch.encode().getBytes(StandardCharsets.UTF_8).length;
    BusEnvelope e = BusEnvelope.parse(sealed);
    // the JSON text plus the GCM tag: not Base64, not wrapped in a second JSON document
    assertEquals(text + 16, e.sealed().length);
    assertEquals(1 + 1 + "manager".length() + 8 + 1 + e.nonce().length() + text + 16, sealed.length());
    assertFalse(sealed.toString(StandardCharsets.ISO_8859_1).contains("echo"), "the payload travels encrypted");
    Seal.Opened o = a.open(ADDRESS, sealed);
    assertEquals(Seal.MANAGER, o.from());
    assertEquals(dispatch, o.payload());
  }

  @Test
  void everyByteChangedOnTheWayIsRefused() {
    Buffer sealed = manager.seal(ADDRESS, dispatch, "a");
    byte[] bytes = sealed.getBytes();
    for (int i = 0; i < bytes.length; i++) {
      byte[] t = bytes.clone();
      t[i] ^= 0x01;
      int at = i;
      assertThrows(Seal.Refused.class, () -> a.open(ADDRESS, Buffer.buffer(t)), () -> "byte " + at + " changed");
    }
    byte[] cut = new byte[bytes.length - 1];
    System.arraycopy(bytes, 0, cut, 0, cut.length);
    assertThrows(Seal.Refused.class, () -> a.open(ADDRESS, Buffer.buffer(cut)), "a byte cut off");
    assertThrows(Seal.Refused.class, () -> a.open(ADDRESS, Buffer.buffer(bytes).appendByte((byte) 0)),
        "a byte added");
    // the message itself was intact: it still opens, once
    assertEquals(dispatch, a.open(ADDRESS, Buffer.buffer(bytes)).payload());
  }

  @Test
  void aReplayIsRefused() {
    Buffer sealed = a.seal("heady.cluster.report", new JsonObject().put("task_id", "t-1"), Seal.MANAGER);
    manager.open("heady.cluster.report", sealed.copy());
    Seal.Refused r = assertThrows(Seal.Refused.class, () -> manager.open("heady.cluster.report", sealed));
    assertTrue(r.getMessage().contains("replayed"), r.getMessage());
  }

  @Test
  void anotherNodesKeyIsRefused() {
    // b seals with its own key and names a as the sender: the manager opens with a's key, which fails
    Seal b = Seal.node("b", kb, CLOCK);
    BusEnvelope e = BusEnvelope.parse(b.seal("heady.cluster.report", new JsonObject(), Seal.MANAGER));
    Buffer asA = new BusEnvelope("a", e.ts(), e.nonce(), e.sealed()).toBuffer();
    assertThrows(Seal.Refused.class, () -> manager.open("heady.cluster.report", asA));
    // a node sealing with a wrong key for itself (a stale credential) is refused too
    Seal stale = Seal.node("a", key(9), CLOCK);
    assertThrows(Seal.Refused.class, () -> manager.open("heady.cluster.report",
        stale.seal("heady.cluster.report", new JsonObject(), Seal.MANAGER)));
    // and b cannot speak as the manager to a
    BusEnvelope d = BusEnvelope.parse(b.seal(ADDRESS, dispatch, Seal.MANAGER));
    assertThrows(Seal.Refused.class, () -> a.open(ADDRESS, new BusEnvelope(Seal.MANAGER, d.ts(), d.nonce(),
        d.sealed()).toBuffer()));
  }

  @Test
  void anEarlierVersionsJsonEnvelopeIsRefusedWithAClearReason() {
    JsonObject old = new JsonObject().put("f", "a").put("ts", CLOCK.millis()).put("n", "x.1").put("c", "AAAA");
    Seal.Refused r = assertThrows(Seal.Refused.class, () -> manager.open("heady.cluster.register", old));
    assertTrue(r.getMessage().contains("earlier heady version"), r.getMessage());
    Seal.Refused v = assertThrows(Seal.Refused.class, () -> manager.open("heady.cluster.register",
        Buffer.buffer(new byte[] {2, 1, 'a'})));
    assertTrue(v.getMessage().contains("bus seal v3"), v.getMessage());
  }
}
