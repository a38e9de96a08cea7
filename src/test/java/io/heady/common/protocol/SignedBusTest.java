package io.heady.common.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.identity.Seal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A refusal on the bus counts as the node's own only when the node sealed it: a member that answers on a
 * node's address in its place (unsealed, or sealed with its own key) is not believed.
 */
class SignedBusTest {
  private static final String VICTIM = "victim";
  private static final String ROGUE = "rogue";
  private static final String ADDRESS = Addresses.nodeDispatchBatch(VICTIM);

  private final byte[] victimKey = key();
  private final byte[] rogueKey = key();
  /** The manager holds a key for both nodes (both are enrolled). */
  private final Seal manager = new Seal(Seal.MANAGER, Map.of(VICTIM, victimKey, ROGUE, rogueKey)::get,
      Clock.systemUTC(), Seal.DEFAULT_WINDOW);
  private Vertx vertx;

  private static byte[] key() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return k;
  }

  private static String b64(io.vertx.core.buffer.Buffer b) {
    return java.util.Base64.getEncoder().encodeToString(b.getBytes());
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private Throwable failureOfDispatch() {
    Future<JsonObject> f = SignedBus.request(vertx.eventBus(), ADDRESS, manager, VICTIM, new JsonObject()
        .put("dispatches", new io.vertx.core.json.JsonArray()), new DeliveryOptions().setSendTimeout(5000));
    CompletionException e = assertThrows(CompletionException.class, () -> f.toCompletionStage().toCompletableFuture()
        .join());
    return e.getCause();
  }

  @Test
  void theNodesOwnRefusalKeepsItsStatusAndMessage() throws Exception {
    SignedBus.consumer(vertx.eventBus(), true, ADDRESS, Seal.node(VICTIM, victimKey, Clock.systemUTC()),
        (from, body) -> Future.failedFuture(new SignedBus.StatusException(507, "disk_full"))).completion()
        .await(5, TimeUnit.SECONDS);
    ReplyException re = assertInstanceOf(ReplyException.class, failureOfDispatch());
    assertEquals(ReplyFailure.RECIPIENT_FAILURE, re.failureType());
    assertEquals(507, re.failureCode());
    assertEquals("disk_full", re.getMessage());
  }

  @Test
  void anApiRefusalKeepsItsErrorBody() throws Exception {
    SignedBus.consumer(vertx.eventBus(), true, ADDRESS, Seal.node(VICTIM, victimKey, Clock.systemUTC()),
        (from, body) -> Future.failedFuture(new ApiException(ErrorCode.STALE_LEASE, "old lease"))).completion()
        .await(5, TimeUnit.SECONDS);
    ReplyException re = assertInstanceOf(ReplyException.class, failureOfDispatch());
    assertEquals(409, re.failureCode());
    assertEquals("STALE_LEASE", new JsonObject(re.getMessage()).getJsonObject("error").getString("code"));
  }

  @Test
  void aSealedApiRefusalStillReadsAsOneForAPeerThatDoesNotOpenIt() throws Exception {
    SignedBus.consumer(vertx.eventBus(), true, ADDRESS, Seal.node(VICTIM, victimKey, Clock.systemUTC()),
        (from, body) -> Future.failedFuture(new ApiException(ErrorCode.UNKNOWN_NODE, "register again"))).completion()
        .await(5, TimeUnit.SECONDS);
    // what an earlier version's requester sees: the plain request/reply, the error object where it was
    io.vertx.core.buffer.Buffer sealed = manager.seal(ADDRESS, new JsonObject(), VICTIM);
    ReplyException re = assertInstanceOf(ReplyException.class, assertThrows(CompletionException.class,
        () -> vertx.eventBus().request(ADDRESS, sealed).toCompletionStage().toCompletableFuture().join()).getCause());
    assertEquals(404, re.failureCode());
    assertEquals("UNKNOWN_NODE", new JsonObject(re.getMessage()).getJsonObject("error").getString("code"));
  }

  @Test
  void anUnsealedRefusalOnTheNodesAddressIsNotTheNodes() throws Exception {
    vertx.eventBus().localConsumer(ADDRESS, m -> m.fail(507, "disk_full")).completion().await(5, TimeUnit.SECONDS);
    SignedBus.UnsealedRefusal u = assertInstanceOf(SignedBus.UnsealedRefusal.class, failureOfDispatch());
    assertEquals(507, u.claimed());
  }

  @Test
  void aRefusalSealedByAnotherNodeIsNotTheNodes() throws Exception {
    Seal rogue = Seal.node(ROGUE, rogueKey, Clock.systemUTC());
    vertx.eventBus().localConsumer(ADDRESS, m -> m.fail(503, new JsonObject().put("sealed", b64(rogue.seal(
        SignedBus.refusalTo(ADDRESS), new JsonObject().put("status", 503).put("message", "shutting down"),
        Seal.MANAGER))).encode()))
        .completion().await(5, TimeUnit.SECONDS);
    SignedBus.UnsealedRefusal u = assertInstanceOf(SignedBus.UnsealedRefusal.class, failureOfDispatch());
    assertEquals(503, u.claimed());
  }

  @Test
  void aSealedRefusalWhoseStatusWasChangedIsNotBelieved() throws Exception {
    Seal victim = Seal.node(VICTIM, victimKey, Clock.systemUTC());
    // why: the status travels outside the seal too; a relay that changes it does not change what is believed
    vertx.eventBus().localConsumer(ADDRESS, m -> m.fail(507, new JsonObject().put("sealed", b64(victim.seal(
        SignedBus.refusalTo(ADDRESS), new JsonObject().put("status", 429).put("message", "node full"),
        Seal.MANAGER))).encode()))
        .completion().await(5, TimeUnit.SECONDS);
    assertInstanceOf(SignedBus.UnsealedRefusal.class, failureOfDispatch());
  }

  @Test
  void aRequestTheNodeCannotOpenIsRefusedUnsealed() throws Exception {
    // the node holds another key than the manager's for it (a stale credential): its 401 cannot be sealed
    SignedBus.consumer(vertx.eventBus(), true, ADDRESS, Seal.node(VICTIM, key(), Clock.systemUTC()),
        (from, body) -> Future.succeededFuture(new JsonObject())).completion().await(5, TimeUnit.SECONDS);
    SignedBus.UnsealedRefusal u = assertInstanceOf(SignedBus.UnsealedRefusal.class, failureOfDispatch());
    assertEquals(401, u.claimed());
    assertTrue(u.text().contains("UNAUTHORIZED"), u.text());
  }

  @Test
  void aSealedReplyStillOpens() throws Exception {
    SignedBus.consumer(vertx.eventBus(), true, ADDRESS, Seal.node(VICTIM, victimKey, Clock.systemUTC()),
        (from, body) -> Future.succeededFuture(new JsonObject().put("from", from))).completion()
        .await(5, TimeUnit.SECONDS);
    JsonObject r = SignedBus.request(vertx.eventBus(), ADDRESS, manager, VICTIM, new JsonObject(),
        new DeliveryOptions().setSendTimeout(5000)).await(10, TimeUnit.SECONDS);
    assertEquals(Seal.MANAGER, r.getString("from"));
  }
}
