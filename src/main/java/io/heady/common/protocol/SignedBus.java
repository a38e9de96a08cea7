package io.heady.common.protocol;

import io.heady.common.identity.Seal;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request/reply over the event bus with every message sealed by a {@link Seal}: the one way heady's manager
 * and agents talk on the bus. Each side's seal knows only the keys it shares (the manager: each enrolled
 * node's; a node: its own with the manager), so a handler learns who sent a message from the seal, never from
 * the message. A message that does not open is dropped (a request is failed with 401 so an honest sender with
 * a stale credential learns why); a reply opens only from the peer the request went to.
 */
public final class SignedBus {
  private static final Logger LOG = LoggerFactory.getLogger(SignedBus.class);

  private SignedBus() {}

  /**
   * Registers a consumer whose handler sees the sender and the opened payload and answers with a JSON object
   * (sealed back to the sender) or fails (an {@link ApiException} keeps its status and error shape).
   */
  public static MessageConsumer<Object> consumer(EventBus bus, boolean localOnly, String address, Seal seal,
      BiFunction<String, JsonObject, Future<JsonObject>> handler) {
    io.vertx.core.Handler<Message<Object>> h = m -> {
      Seal.Opened opened;
      try {
        opened = seal.open(address, m.body());
      } catch (Seal.Refused e) {
        LOG.warn("dropped a message to {}: {}", address, e.getMessage());
        if (m.replyAddress() != null) {
          m.fail(401, new ApiException(ErrorCode.UNAUTHORIZED, "message refused: " + e.getMessage()).toJson()
              .encode());
        }
        return;
      }
      Future<JsonObject> f;
      try {
        f = handler.apply(opened.from(), opened.payload());
      } catch (InvalidInputException e) {
        f = Future.failedFuture(ApiException.invalid(e));
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      if (m.replyAddress() == null) {
        return;
      }
      f.onComplete(ar -> {
        if (ar.succeeded()) {
          try {
            m.reply(seal.seal(Seal.replyTo(address), ar.result() == null ? new JsonObject() : ar.result(),
                opened.from()));
          } catch (Seal.Refused e) {
            m.fail(401, new ApiException(ErrorCode.UNAUTHORIZED, e.getMessage()).toJson().encode());
          }
        } else if (ar.cause() instanceof ApiException e) {
          m.fail(e.code().status(), e.toJson().encode());
        } else if (ar.cause() instanceof StatusException e) {
          m.fail(e.status(), e.getMessage());
        } else {
          LOG.error("request to {} failed", address, ar.cause());
          m.fail(500, new ApiException(ErrorCode.INTERNAL, "internal error").toJson().encode());
        }
      });
    };
    return localOnly ? bus.localConsumer(address, h) : bus.consumer(address, h);
  }

  /** Sends a sealed request to a peer and opens its reply (which must come from that peer). */
  public static Future<JsonObject> request(EventBus bus, String address, Seal seal, String to, JsonObject body,
      DeliveryOptions options) {
    JsonObject sealed;
    try {
      sealed = seal.seal(address, body, to);
    } catch (Seal.Refused e) {
      return Future.failedFuture(e);
    }
    return bus.request(address, sealed, options).map(m -> {
      Seal.Opened o = seal.open(Seal.replyTo(address), m.body());
      if (!to.equals(o.from())) {
        throw new Seal.Refused("the reply came from " + o.from() + ", not " + to);
      }
      return o.payload();
    });
  }

  /** A failure with a bare status, for node-side refusals (429 full, 409 duplicate …). */
  public static final class StatusException extends RuntimeException {
    private final int status;

    public StatusException(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }
}
