package io.heady.common.protocol;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * Why a node takes no new work for now, in its own words: a reason code a program can test ({@link #DISK_FULL})
 * and a sentence for people. Sent with each heartbeat while it holds ({@code refusing}; absent when the node
 * takes work), kept in the node's record, and named by placement in a waiting task's {@code waiting_reason}.
 * A node that refuses is alive and not at fault: its running tasks go on.
 */
public record Refusal(String reason, String message) {
  /** The disk under the node's data dir is (nearly) full: {@code --min-free-mb}, {@code --min-free-pct}. */
  public static final String DISK_FULL = "disk_full";
  /** The status a node answers a dispatch with while its disk is full: HTTP's 507 Insufficient Storage. */
  public static final int DISK_FULL_STATUS = 507;

  private static final Pattern REASON = Pattern.compile("[a-z][a-z0-9_]{0,31}");
  private static final int MAX_MESSAGE = 512;

  public Refusal {
    if (reason == null || !REASON.matcher(reason).matches()) {
      throw new InvalidInputException("refusing.reason", "refusing.reason must match [a-z][a-z0-9_]{0,31}");
    }
    if (message == null) {
      message = reason;
    }
    if (message.length() > MAX_MESSAGE || message.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
      throw new InvalidInputException("refusing.message", "refusing.message must be at most " + MAX_MESSAGE
          + " characters, without control characters");
    }
  }

  public static Refusal diskFull(String message) {
    return new Refusal(DISK_FULL, message);
  }

  /** One line for people: the reason, then what the node said. */
  public String describe() {
    return message.equals(reason) ? reason : reason + " (" + message + ")";
  }

  public JsonObject toJson() {
    return new JsonObject().put("reason", reason).put("message", message);
  }

  /** {@code null} stays {@code null} (the node takes work). */
  public static Refusal fromJson(JsonObject j) {
    if (j == null) {
      return null;
    }
    return new Refusal(Fields.optString(j, "reason", 32), Fields.optString(j, "message", MAX_MESSAGE));
  }
}
