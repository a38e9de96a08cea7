package io.heady.manager.node;

import static io.heady.manager.testing.NodeBuilder.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one rule for naming a node: an exact id wins, else a unique name; a shared name names none. */
class NodeResolverTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  private final NodeRecord mac = node("n-7").name("mac-mini").active(T);
  private final NodeRecord pi = node("rpi4").name("garage").active(T);
  // named like another node's id
  private final NodeRecord impostor = node("n-9").name("rpi4").active(T);
  private final NodeRecord twinB = node("twin-b").name("twin").active(T);
  private final NodeRecord twinA = node("twin-a").name("twin").active(T);
  private final List<NodeRecord> all = List.of(mac, impostor, pi, twinB, twinA);

  @Test
  void anIdWinsOverAnotherNodesName() {
    NodeResolver.Resolution r = NodeResolver.resolve("rpi4", all);
    assertEquals("rpi4", r.nodeId());
    assertTrue(r.found());
    assertNull(r.problem());
    assertEquals("rpi4", r.orThrow());
  }

  @Test
  void aUniqueNameNamesItsNode() {
    assertEquals("n-7", NodeResolver.resolve("mac-mini", all).orThrow());
    assertEquals("rpi4", NodeResolver.resolve("garage", all).orThrow());
    assertEquals("n-9", NodeResolver.resolve("n-9", all).orThrow(), "and an id its node, whatever the name");
  }

  @Test
  void aSharedNameNamesNoneAndListsTheIds() {
    NodeResolver.Resolution r = NodeResolver.resolve("twin", all);
    assertFalse(r.found());
    assertTrue(r.ambiguous());
    assertEquals(List.of("twin-a", "twin-b"), r.sameName(), "sorted");
    ApiException e = assertThrows(ApiException.class, r::orThrow);
    assertEquals(ErrorCode.AMBIGUOUS_NODE, e.code());
    assertEquals(409, e.code().status());
    assertTrue(e.getMessage().contains("twin-a, twin-b") && e.getMessage().contains("by its id"), e.getMessage());
    assertEquals(new JsonArray().add("twin-a").add("twin-b"), e.details().getJsonArray("node_ids"));
    assertEquals("twin-a", NodeResolver.resolve("twin-a", all).orThrow(), "each is still named by its id");
  }

  @Test
  void nothingByThatIdOrNameIsUnknown() {
    NodeResolver.Resolution r = NodeResolver.resolve("mac", all);
    assertFalse(r.found());
    assertFalse(r.ambiguous());
    ApiException e = assertThrows(ApiException.class, r::orThrow);
    assertEquals(ErrorCode.UNKNOWN_NODE, e.code());
    assertTrue(e.getMessage().contains("'mac'"), e.getMessage());
    assertFalse(NodeResolver.resolve("MAC-MINI", all).found(), "names are exact, case included");
    assertFalse(NodeResolver.resolve("x", List.of()).found());
  }

  @Test
  void documentsResolveByTheSameRule() {
    List<JsonObject> docs = all.stream().map(NodeRecord::toJson).toList();
    assertEquals("rpi4", NodeResolver.resolveDocs("rpi4", docs).nodeId());
    assertEquals("n-7", NodeResolver.resolveDocs("mac-mini", docs).nodeId());
    assertEquals(List.of("twin-a", "twin-b"), NodeResolver.resolveDocs("twin", docs).sameName());
    // a node waiting for approval (an enrollment's view) is a document like any other
    JsonObject pending = new JsonObject().put("node_id", "new-box").put("name", "garage").put("status",
        "pending_approval");
    List<JsonObject> withPending = new java.util.ArrayList<>(docs);
    withPending.add(pending);
    assertEquals(List.of("new-box", "rpi4"), NodeResolver.resolveDocs("garage", withPending).sameName());
  }
}
