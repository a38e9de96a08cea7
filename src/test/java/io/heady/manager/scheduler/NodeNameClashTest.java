package io.heady.manager.scheduler;

import static io.heady.manager.testing.NodeBuilder.node;
import static io.heady.manager.testing.SpecBuilder.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.ErrorCode;
import io.heady.manager.task.TaskState;
import org.junit.jupiter.api.Test;

/**
 * A node is named by one rule (an exact id wins, else a unique name), so no node may register under an id that is
 * another node's name, nor a name that is another node's id: with the join token alone, an agent enrolled as
 * {@code --node-id=mac} would otherwise take every task pinned to the node named {@code mac} (relayq's
 * {@code run_on_mac}), secrets included.
 */
class NodeNameClashTest {
  private final Harness h = new Harness();

  @Test
  void anIdThatIsAnotherNodesNameIsRefusedAndThePinStillGoesToThatNode() {
    h.join(node("n-real").name("mac").cores(8).ram(16));
    ApiException e = assertThrows(ApiException.class,
        () -> h.join(node("mac").name("rogue").cores(64).ram(256)));
    assertEquals(ErrorCode.ID_TAKEN, e.code());
    assertTrue(e.getMessage().contains("n-real"), e.getMessage());
    assertNull(h.node("mac"), "the clashing node is not registered");

    Scheduler.Submitted s = h.submit(task("echo").id("on-mac").pin("mac").spec());
    assertEquals(TaskState.DISPATCHED, s.task().state());
    assertEquals("n-real", h.task("on-mac").nodeId(), "the pin names the node called mac");
  }

  @Test
  void aNameThatIsAnotherNodesIdIsRefused() {
    h.join(node("n-real").name("mac").cores(8).ram(16));
    ApiException e = assertThrows(ApiException.class, () -> h.join(node("n-other").name("n-real")));
    assertEquals(ErrorCode.ID_TAKEN, e.code());
    assertNull(h.node("n-other"));
  }

  @Test
  void theManagersOwnExecutorRegistersEvenBesideAnAgentNamedLikeIt() {
    h.join(node("n-old").name("local")); // refused today, but a store from before may hold it
    assertThrows(ApiException.class, () -> h.join(node("n-new").name("n-old")));
    h.joinCloud(node("local").name("local"));
    assertEquals("local", h.node("local").nodeId());
  }

  @Test
  void aNodeMayKeepItsOwnIdAsNameAndShareANameWithOthers() {
    h.join(node("a").name("a"));
    h.join(node("b").name("gpu"));
    h.join(node("c").name("gpu"));
    h.join(node("a").name("a")); // registering again is no clash with itself
    assertEquals(3, h.scheduler.nodes().size());
  }
}
