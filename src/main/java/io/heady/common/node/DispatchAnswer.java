package io.heady.common.node;

import io.heady.common.exec.TaskSlots;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.InvalidInputException;
import io.heady.common.protocol.Refusal;
import io.vertx.core.json.JsonObject;

/**
 * What a node answers one dispatch, the same over every transport (the event bus, the node API, the manager's
 * direct call to its local executor): 202 accepted; 409 {@code DUPLICATE}, it runs that attempt already (the
 * manager counts it delivered); 429 {@code NODE_FULL}; 503 {@code SHUTTING_DOWN}; 507 {@code DISK_FULL}; 400
 * {@code INVALID_FIELD}, the dispatch does not parse.
 *
 * @param status the HTTP status, also the event bus's failure code
 * @param code the error code of a refusal ({@code null} when accepted)
 * @param message what a person reads about a refusal ({@code null} when accepted)
 */
public record DispatchAnswer(int status, String code, String message) {
  public static final DispatchAnswer ACCEPTED = new DispatchAnswer(202, null, null);

  /** The answer for a status as {@link TaskSlots#status} gives it (or 400), without a parse problem to name. */
  public static DispatchAnswer of(int status) {
    return of(status, "refused");
  }

  /** The answer for a status; {@code problem} says what is wrong with a dispatch refused with 400. */
  public static DispatchAnswer of(int status, String problem) {
    return switch (status) {
      case 202 -> ACCEPTED;
      case 409 -> new DispatchAnswer(409, "DUPLICATE", "this node already runs that task");
      case 429 -> new DispatchAnswer(429, "NODE_FULL", "every slot of this node is busy");
      case 503 -> new DispatchAnswer(503, "SHUTTING_DOWN", "this node is shutting down");
      case Refusal.DISK_FULL_STATUS -> new DispatchAnswer(Refusal.DISK_FULL_STATUS, "DISK_FULL",
          "this node's disk is nearly full (disk_full); it takes no new task until it has room again");
      default -> new DispatchAnswer(400, "INVALID_FIELD", "the dispatch is not valid: " + problem);
    };
  }

  /** The answer for a dispatch that does not parse, naming its first bad field. */
  public static DispatchAnswer invalid(JsonObject body) {
    try {
      Dispatch.fromJson(body);
      return of(400);
    } catch (InvalidInputException e) {
      return of(400, e.getMessage());
    } catch (RuntimeException e) {
      return of(400);
    }
  }

  public boolean accepted() {
    return status == 202;
  }

  /** A refusal in heady's error shape, {@code {error: {code, message, details}}}. */
  public JsonObject toJson() {
    return accepted() ? new JsonObject().put("accepted", true)
        : new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)
            .put("details", new JsonObject()));
  }
}
