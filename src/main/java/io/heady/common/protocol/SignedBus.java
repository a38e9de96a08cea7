package io.heady.common.protocol;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request/reply over the event bus with every message sealed by a {@link Signer}: the one way heady's
 * manager and agents talk on the bus. A message that does not open is dropped (a request is failed with
 * 401 so an honest sender with a stale token learns why).
 */
public final class SignedBus {
  private static final Logger LOG = LoggerFactory.getLogger(SignedBus.class);

  private SignedBus() {}

  /**
   * Registers a consumer whose handler sees opened payloads and answers with a JSON object (sealed on the
   * way back) or fails (an {@link ApiException} keeps its status and error shape).
   */
  public static MessageConsumer<Object> consumer(EventBus bus, boolean localOnly, String address, Signer signer,
      Function<JsonObject, Future<JsonObject>> handler) {
    io.vertx.core.Handler<Message<Object>> h = m -> {
      JsonObject body;
      try {
        body = signer.open(address, m.body());
      } catch (Signer.Refused e) {
        LOG.warn("dropped a message to {}: {}", address, e.getMessage());
        if (m.replyAddress() != null) {
          m.fail(401, new ApiException(ErrorCode.UNAUTHORIZED, "message refused: " + e.getMessage()).toJson()
              .encode());
        }
        return;
      }
      Future<JsonObject> f;
      try {
        f = handler.apply(body);
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
          m.reply(signer.seal(Signer.replyTo(address), ar.result() == null ? new JsonObject() : ar.result()));
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

  /** Sends a sealed request and opens the reply. */
  public static Future<JsonObject> request(EventBus bus, String address, Signer signer, JsonObject body,
      DeliveryOptions options) {
    return bus.request(address, signer.seal(address, body), options)
        .map(m -> signer.open(Signer.replyTo(address), m.body()));
  }

  /** Sends a sealed one-way message. */
  public static void send(EventBus bus, String address, Signer signer, JsonObject body) {
    bus.send(address, signer.seal(address, body));
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
