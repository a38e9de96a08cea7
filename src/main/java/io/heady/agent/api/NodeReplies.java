package io.heady.agent.api;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** How the node API answers: JSON bodies, errors in heady's shape, and the reading of bodies and queries. */
final class NodeReplies {
  private NodeReplies() {}

  static void json(RoutingContext rc, int status, JsonObject body) {
    if (rc.response().ended() || rc.response().closed()) {
      return;
    }
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  /** {@code {error: {code, message, details: {}}}}. */
  static void error(RoutingContext rc, int status, String code, String message) {
    json(rc, status, new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)
        .put("details", new JsonObject())));
  }

  /** The body as a JSON object, or {@code null} after answering 400. */
  static JsonObject object(RoutingContext rc) {
    String text = rc.body() == null ? null : rc.body().asString();
    Object parsed = null;
    try {
      parsed = text == null || text.isBlank() ? null : Json.decodeValue(text);
    } catch (DecodeException e) {
      parsed = null;
    }
    if (!(parsed instanceof JsonObject j)) {
      error(rc, 400, "BAD_JSON", "the body must be a JSON object");
      return null;
    }
    return j;
  }

  /** A query number within bounds; answers 400 and returns -1 when it is not. */
  static long queryNumber(RoutingContext rc, String name, long def, long max) {
    String raw;
    try {
      raw = rc.queryParams().get(name);
    } catch (RuntimeException e) {
      error(rc, 400, "INVALID_FIELD", "the query string is not valid");
      return -1;
    }
    if (raw == null) {
      return def;
    }
    try {
      long v = Long.parseLong(raw);
      if (v >= 0 && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    error(rc, 400, "INVALID_FIELD", name + " must be a whole number from 0 to " + max);
    return -1;
  }

  /** A path as a log line or an error message may show it: no control characters, at most 80 characters. */
  static String abbreviate(String s) {
    String t = s == null ? "" : s.replaceAll("[\\p{Cntrl}]", "?");
    return t.length() > 80 ? t.substring(0, 80) + "…" : t;
  }
}
