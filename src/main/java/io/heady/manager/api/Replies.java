package io.heady.manager.api;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.ErrorCode;
import io.heady.common.protocol.InvalidInputException;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** JSON answers and the one error shape of the API. */
final class Replies {
  private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

  private Replies() {}

  static void json(RoutingContext rc, int status, Object body) {
    if (rc.response().ended()) {
      return;
    }
    String text = body instanceof JsonObject j ? j.encode()
        : body instanceof io.vertx.core.json.JsonArray a ? a.encode() : String.valueOf(body);
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(text);
  }

  static void error(RoutingContext rc, Throwable t) {
    ApiException e = toApi(t);
    if (e.code() == ErrorCode.INTERNAL) {
      LOG.error("{} {} failed", rc.request().method(), rc.request().path(), t);
    }
    if (e.code() == ErrorCode.STORE_UNAVAILABLE || e.code() == ErrorCode.RATE_LIMITED
        || e.code() == ErrorCode.NOT_LEADER) {
      Object after = e.details().getValue("retry_after_sec");
      rc.response().putHeader("Retry-After", after instanceof Number n ? Long.toString(n.longValue()) : "2");
    }
    if (e.code() == ErrorCode.UNAUTHORIZED) {
      rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"heady\"");
    }
    json(rc, e.code().status(), e.toJson());
  }

  static ApiException toApi(Throwable t) {
    if (t instanceof ApiException e) {
      return e;
    }
    if (t instanceof InvalidInputException e) {
      return ApiException.invalid(e);
    }
    if (t instanceof io.heady.manager.store.StoreUnavailableException) {
      return new ApiException(ErrorCode.STORE_UNAVAILABLE, "the store is unavailable; retry shortly");
    }
    if (t instanceof io.heady.manager.store.NotLeaderException e) {
      // why: a leader that just lost its lease knows the new leader's id only; a standby answers with its URL
      return new ApiException(ErrorCode.NOT_LEADER, "this manager is not the leader: " + e.getMessage(),
          new JsonObject().put("leader", e.leader()));
    }
    if (t instanceof DecodeException) {
      return new ApiException(ErrorCode.BAD_JSON, "the body is not valid JSON");
    }
    return new ApiException(ErrorCode.INTERNAL, "internal error; the manager log has the details");
  }

  /** Completes the request from a future: 200 (or {@code status}) with its JSON, or the error shape. */
  static <T> void from(RoutingContext rc, int status, Future<T> f) {
    f.onComplete(ar -> {
      if (ar.succeeded()) {
        json(rc, status, ar.result());
      } else {
        error(rc, ar.cause());
      }
    });
  }

  /** The request body as a JSON object; a 400 naming the problem otherwise. */
  static JsonObject body(RoutingContext rc) {
    String text = rc.body() == null ? null : rc.body().asString();
    if (text == null || text.isBlank()) {
      throw new ApiException(ErrorCode.BAD_JSON, "a JSON object body is required");
    }
    Object parsed;
    try {
      parsed = io.vertx.core.json.Json.decodeValue(text);
    } catch (DecodeException e) {
      throw new ApiException(ErrorCode.BAD_JSON, "the body is not valid JSON: "
          + firstLine(e.getMessage()));
    }
    if (!(parsed instanceof JsonObject j)) {
      throw new ApiException(ErrorCode.BAD_JSON, "the body must be a JSON object");
    }
    return j;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    String l = s.lines().findFirst().orElse("");
    return l.length() > 160 ? l.substring(0, 160) : l;
  }
}
