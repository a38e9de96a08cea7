package io.heady.agent.link;

import io.heady.common.protocol.Addresses;
import io.heady.common.protocol.SignedBus;
import io.heady.common.identity.Seal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/** The manager over the clustered event bus, at the documented {@code heady.cluster.*} addresses. */
public final class EventBusLink implements ManagerLink {
  private final Vertx vertx;
  private final DeliveryOptions options;
  private final Seal seal;

  public EventBusLink(Vertx vertx, long timeoutMs, Seal seal) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
    this.seal = seal;
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return SignedBus.request(vertx.eventBus(), address, seal, Seal.MANAGER, body, options)
        .recover(EventBusLink::translate);
  }

  static Future<JsonObject> translate(Throwable t) {
    if (t instanceof io.heady.common.protocol.SignedBus.UnsealedRefusal u) {
      // why: only a manager's certificate can answer an agent on the bus (agents trust the managers' CA alone),
      // and a manager cannot seal its 401 to a node it no longer knows (revoked): taken as the manager's word
      t = new ReplyException(ReplyFailure.RECIPIENT_FAILURE, u.claimed(), u.text());
    }
    if (t instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        String code = null;
        String message = re.getMessage();
        try {
          JsonObject err = new JsonObject(re.getMessage()).getJsonObject("error");
          code = err.getString("code");
          message = err.getString("message");
        } catch (RuntimeException notJson) {
          // a plain-text failure
        }
        return Future.failedFuture(new LinkException(re.failureCode(), code, message));
      }
      return Future.failedFuture(new LinkException(0, re.failureType().name(),
          re.failureType() == ReplyFailure.NO_HANDLERS ? "the manager is not on the event bus (yet)"
              : "the manager did not answer in time"));
    }
    if (t instanceof Seal.Refused) {
      return Future.failedFuture(new LinkException(0, "BAD_REPLY", "a reply did not open: " + t.getMessage()));
    }
    return Future.failedFuture(new LinkException(0, null, t.getMessage()));
  }

  @Override
  public Future<JsonObject> register(JsonObject registration) {
    return request(Addresses.REGISTER, registration);
  }

  @Override
  public Future<JsonObject> heartbeat(JsonObject heartbeat) {
    return request(Addresses.HEARTBEAT, heartbeat);
  }

  @Override
  public Future<JsonObject> report(JsonObject report) {
    return request(Addresses.REPORT, report);
  }

  @Override
  public Future<JsonObject> deregister(JsonObject node) {
    return request(Addresses.DEREGISTER, node);
  }

  @Override
  public String transport() {
    return "eventbus";
  }
}
