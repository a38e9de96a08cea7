package io.heady.common.protocol;

import io.heady.common.identity.Seal;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request/reply over the event bus with every message sealed by a {@link Seal}: the one way heady's manager
 * and agents talk on the bus. Each side's seal knows only the keys it shares (the manager: each enrolled
 * node's; a node: its own with the manager), so a handler learns who sent a message from the seal, never from
 * the message. A message that does not open is dropped (a request is failed with 401 so an honest sender with
 * a stale credential learns why); a reply opens only from the peer the request went to.
 *
 * <p>A refusal is sealed too: the handler's failure goes back as {@code fail(status, body)}, where the body holds
 * {@code {status, message}} sealed to the requester at {@link #refusalTo} (its frame in Base64 under {@code sealed}), and the
 * requester believes the status only when that opens from the peer the request went to. why: any member with a certificate of the cluster
 * (another enrolled node, a client) may subscribe to a node's address and answer in its place; it cannot open
 * the request, but an unsealed {@code fail(507)} would otherwise pass as the node's own refusal (disk full,
 * shutting down, full) and keep work from a healthy node. Such an answer reaches the requester as an
 * {@link UnsealedRefusal}: the peer was not reached.
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
          refuse(m, seal, address, opened.from(), e.code().status(), e.toJson().encode());
        } else if (ar.cause() instanceof StatusException e) {
          refuse(m, seal, address, opened.from(), e.status(), e.getMessage());
        } else {
          LOG.error("request to {} failed", address, ar.cause());
          refuse(m, seal, address, opened.from(), 500, new ApiException(ErrorCode.INTERNAL, "internal error").toJson()
              .encode());
        }
      });
    };
    return localOnly ? bus.localConsumer(address, h) : bus.consumer(address, h);
  }

  /** The address a refusal is sealed for: a refusal cannot be swapped for a reply or a request. */
  public static String refusalTo(String address) {
    return "refusal:" + address;
  }

  /**
   * Fails a request with its status and message, sealed to the requester when this side holds a key for it: the
   * message as it was (an API error's JSON keeps its {@code error} object, for a peer of an earlier version) with
   * the sealed copy under {@code sealed}.
   */
  private static void refuse(Message<Object> m, Seal seal, String address, String to, int status, String message) {
    String envelope;
    try {
      // why: a failure travels as text, so the sealed refusal goes in Base64 (refusals are rare)
      envelope = Base64.getEncoder().encodeToString(seal.seal(refusalTo(address), new JsonObject().put("status", status).put("message", message), to)
          .getBytes());
    } catch (Seal.Refused e) {
      m.fail(status, message); // no key for the requester any more (revoked meanwhile): it will not believe this
      return;
    }
    JsonObject body = json(message);
    m.fail(status, (body == null ? new JsonObject() : body).put(SEALED, envelope).encode());
  }

  private static final String SEALED = "sealed";

  private static JsonObject json(String text) {
    if (text == null || !text.startsWith("{")) {
      return null;
    }
    try {
      return new JsonObject(text);
    } catch (io.vertx.core.json.DecodeException e) {
      return null;
    }
  }

  /**
   * Sends a sealed request to a peer and opens its reply (which must come from that peer). A refusal keeps its
   * status (a {@link ReplyException} of {@link ReplyFailure#RECIPIENT_FAILURE} with the peer's message) only
   * when the peer sealed it; any other fails as an {@link UnsealedRefusal}.
   */
  public static Future<JsonObject> request(EventBus bus, String address, Seal seal, String to, JsonObject body,
      DeliveryOptions options) {
    Buffer sealed;
    try {
      sealed = seal.seal(address, body, to);
    } catch (Seal.Refused e) {
      return Future.failedFuture(e);
    }
    return bus.request(address, sealed, options).transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(opened(ar.cause(), address, seal, to));
      }
      Seal.Opened o = seal.open(Seal.replyTo(address), ar.result().body());
      if (!to.equals(o.from())) {
        throw new Seal.Refused("the reply came from " + o.from() + ", not " + to);
      }
      return Future.succeededFuture(o.payload());
    });
  }

  /** A request's failure: the peer's own sealed refusal, an {@link UnsealedRefusal}, or the bus's failure as is. */
  private static Throwable opened(Throwable t, String address, Seal seal, String to) {
    if (!(t instanceof ReplyException re) || re.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
      return t;
    }
    String text = re.getMessage();
    JsonObject body = json(text);
    try {
      Seal.Opened o = seal.open(refusalTo(address), body != null && body.getValue(SEALED) instanceof String b64
          ? Buffer.buffer(Base64.getDecoder().decode(b64)) : null);
      if (to.equals(o.from()) && o.payload().getValue("status") instanceof Integer status
          && status == re.failureCode()) {
        return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, status, o.payload().getString("message"));
      }
    } catch (Seal.Refused | IllegalArgumentException e) {
      // not sealed by the peer (or not Base64): below
    }
    return new UnsealedRefusal(to, re.failureCode(), text);
  }

  /**
   * A refusal that the peer the request went to did not seal: another member answered in its place, or the peer
   * could not open the request (its own 401 cannot be sealed to a sender it does not know). Not the peer's
   * word: the peer was not reached.
   */
  public static final class UnsealedRefusal extends RuntimeException {
    private final int claimed;
    private final String text;

    public UnsealedRefusal(String to, int claimed, String text) {
      super("a refusal (" + claimed + ") on the address of " + to + " that " + to + " did not seal: "
          + abbreviate(text), null, false, false);
      this.claimed = claimed;
      this.text = text;
    }

    /** The status the refusal claimed: not to be believed. */
    public int claimed() {
      return claimed;
    }

    /** The refusal's message as it came. */
    public String text() {
      return text;
    }
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "(no message)";
    }
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
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
