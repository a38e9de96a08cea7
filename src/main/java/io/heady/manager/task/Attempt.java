package io.heady.manager.task;

import io.heady.common.protocol.Enforcement;
import io.heady.common.protocol.Usage;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One dispatch of a task to a node, fenced by its lease. Only the task's current attempt may complete it;
 * a revoked attempt's late result is kept on the attempt and changes nothing else.
 */
public final class Attempt {
  final int number;
  final String leaseId;
  final String nodeId;
  final Instant dispatchedAt;
  /** When the node answered that it took the dispatch; {@code null} while the delivery is under way. */
  Instant deliveredAt;
  Instant startedAt;
  Instant endedAt;
  /** null while live; else succeeded, failed, timed_out, cancelled, lost, refused, revoked. */
  String outcome;
  String reason;
  Integer exitCode;
  JsonObject lateResult;
  /** What the attempt used, as its node measured it; {@link Usage#UNKNOWN} until it reports. */
  Usage usage = Usage.UNKNOWN;
  /** How its node contained it; {@code null} until it reports, or when the node does not say. */
  Enforcement enforcement;

  Attempt(int number, String leaseId, String nodeId, Instant dispatchedAt) {
    this.number = number;
    this.leaseId = leaseId;
    this.nodeId = nodeId;
    this.dispatchedAt = dispatchedAt;
  }

  public String leaseId() {
    return leaseId;
  }

  public String nodeId() {
    return nodeId;
  }

  public Instant dispatchedAt() {
    return dispatchedAt;
  }

  /** When the node answered that it took the dispatch; {@code null} while the delivery is under way. */
  public Instant deliveredAt() {
    return deliveredAt;
  }

  /** When the node reported this attempt running; {@code null} before that. */
  public Instant startedAt() {
    return startedAt;
  }

  /** When this attempt ended; {@code null} while live. */
  public Instant endedAt() {
    return endedAt;
  }

  public int number() {
    return number;
  }

  public String outcome() {
    return outcome;
  }

  public boolean live() {
    return outcome == null;
  }

  public String reason() {
    return reason;
  }

  public Usage usage() {
    return usage;
  }

  public Enforcement enforcement() {
    return enforcement;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("attempt", number)
        .put("lease_id", leaseId)
        .put("node_id", nodeId)
        .put("dispatched_at", dispatchedAt.toString())
        .put("delivered_at", deliveredAt == null ? null : deliveredAt.toString())
        .put("started_at", startedAt == null ? null : startedAt.toString())
        .put("ended_at", endedAt == null ? null : endedAt.toString())
        .put("outcome", outcome)
        .put("reason", reason)
        .put("exit_code", exitCode)
        .put("late_result", lateResult)
        .put("usage", !usage.known() ? null : usage.toJson())
        .put("enforcement", enforcement == null ? null : enforcement.toJson());
  }

  static Attempt fromJson(JsonObject j) {
    Attempt a = new Attempt(j.getInteger("attempt"), j.getString("lease_id"), j.getString("node_id"),
        Instant.parse(j.getString("dispatched_at")));
    a.deliveredAt = parse(j.getString("delivered_at"));
    a.startedAt = parse(j.getString("started_at"));
    a.endedAt = parse(j.getString("ended_at"));
    a.outcome = j.getString("outcome");
    a.reason = j.getString("reason");
    a.exitCode = j.getInteger("exit_code");
    a.lateResult = j.getJsonObject("late_result");
    a.usage = Usage.fromJson(j, "usage");
    a.enforcement = Enforcement.fromJson(j, "enforcement");
    return a;
  }

  static Instant parse(String s) {
    return s == null ? null : Instant.parse(s);
  }
}
