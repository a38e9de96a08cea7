package io.heady.common.protocol;

import io.vertx.core.json.JsonObject;

/**
 * A refusal with a code and a message that says what is wrong and what to do; becomes
 * {@code {"error":{"code","message","details"}}} on HTTP and a failed reply on the event bus.
 */
public final class ApiException extends RuntimeException {
  private final ErrorCode code;
  private final JsonObject details;

  public ApiException(ErrorCode code, String message) {
    this(code, message, new JsonObject());
  }

  public ApiException(ErrorCode code, String message, JsonObject details) {
    super(message, null, false, false);
    this.code = code;
    this.details = details;
  }

  public ErrorCode code() {
    return code;
  }

  public JsonObject details() {
    return details;
  }

  public JsonObject toJson() {
    return new JsonObject().put("error",
        new JsonObject().put("code", code.name()).put("message", getMessage()).put("details", details));
  }

  /** The API's answer for bad input. */
  public static ApiException invalid(InvalidInputException e) {
    return new ApiException(ErrorCode.INVALID_FIELD, e.getMessage(), new JsonObject().put("field", e.field()));
  }
}
