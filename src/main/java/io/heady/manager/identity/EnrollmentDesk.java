package io.heady.manager.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Decides an enrollment request: plain rules, no I/O. The join token proves only that the caller may ask;
 * the node id is bound to the first key that enrolls it, for good, until an operator revokes it, and a key to one
 * node id (so revoking a node stops its key everywhere, not under one of several names). Reserved ids
 * ({@code local}, the manager's own executor; {@code manager}; {@code heady}) are never given out.
 */
public final class EnrollmentDesk {
  /** Ids no agent may take. */
  public static final Set<String> RESERVED = io.heady.common.protocol.Fields.RESERVED_NODE_IDS;

  /**
   * @param approvalNeeded {@code --approve-nodes}: a new node waits for an operator
   * @param maxPending enrollments that may wait for approval at once
   * @param pendingFor how long one waits before it is forgotten
   */
  public record Settings(boolean approvalNeeded, int maxPending, Duration pendingFor) {
    public static final Settings OPEN = new Settings(false, 100, Duration.ofDays(1));
  }

  /** What a node asks for. */
  public record Request(String nodeId, String name, String publicKey, String fingerprint, String address) {}

  /** How a request was decided. */
  public enum Verdict { ENROLLED, PENDING, REFUSED }

  /**
   * The decision: the record to keep (or {@code null} when nothing changes) and, for a refusal, the HTTP
   * status, error code and message.
   */
  public record Decision(Verdict verdict, Enrollment record, boolean changed, int status, String code,
      String message) {
    static Decision refused(int status, String code, String message) {
      return new Decision(Verdict.REFUSED, null, false, status, code, message);
    }
  }

  private final Settings settings;

  public EnrollmentDesk(Settings settings) {
    this.settings = settings;
  }

  public Settings settings() {
    return settings;
  }

  /**
   * @param existing the record kept for this node id, or {@code null}
   * @param revokedKey whether this key was revoked (under any id)
   * @param keyHolder another node id this key is enrolled (or waiting) under, or {@code null}
   * @param pending how many enrollments wait for approval now
   */
  public Decision decide(Request r, Enrollment existing, boolean revokedKey, String keyHolder, int pending,
      Instant now) {
    if (RESERVED.contains(r.nodeId())) {
      return Decision.refused(403, "RESERVED_ID", "node id " + r.nodeId() + " is reserved; choose another"
          + " (--node-id)");
    }
    if (revokedKey) {
      return Decision.refused(403, "REVOKED", "this node's key was revoked; a revoked key enrolls nothing again"
          + " (make a new key: remove <data-dir>/identity on the node)");
    }
    if (keyHolder != null && !keyHolder.equals(r.nodeId())) {
      // why: one key under two ids would outlive the revocation of one of them
      return Decision.refused(409, "ID_TAKEN", "this key is enrolled already, as node " + keyHolder + "; one key"
          + " is one node (make a new key for another node id: a separate --data-dir)");
    }
    if (existing != null && existing.status() != Enrollment.Status.REVOKED) {
      boolean sameKey = existing.fingerprint().equals(r.fingerprint());
      if (!sameKey) {
        return Decision.refused(409, "ID_TAKEN", "node id " + r.nodeId() + " is " + (existing.status()
            == Enrollment.Status.ENROLLED ? "enrolled" : "waiting for approval") + " with another key; an"
            + " operator must revoke it first (heady nodes revoke " + r.nodeId() + ")");
      }
      if (existing.status() == Enrollment.Status.ENROLLED) {
        return new Decision(Verdict.ENROLLED, existing, false, 200, null, null);
      }
      if (expired(existing, now)) {
        existing = null; // forgotten: asked anew below
      } else {
        return new Decision(Verdict.PENDING, existing, false, 202, null, null);
      }
    }
    if (settings.approvalNeeded()) {
      if (pending >= settings.maxPending()) {
        return Decision.refused(429, "TOO_MANY_PENDING", pending + " nodes already wait for approval; approve or"
            + " revoke them first (heady nodes)");
      }
      return new Decision(Verdict.PENDING, new Enrollment(r.nodeId(), r.name(), r.publicKey(), r.fingerprint(),
          Enrollment.Status.PENDING_APPROVAL, now, null, r.address()), true, 202, null, null);
    }
    return new Decision(Verdict.ENROLLED, new Enrollment(r.nodeId(), r.name(), r.publicKey(), r.fingerprint(),
        Enrollment.Status.ENROLLED, now, now, r.address()), true, 201, null, null);
  }

  /** Whether a pending enrollment waited too long and is to be forgotten. */
  public boolean expired(Enrollment e, Instant now) {
    return e.status() == Enrollment.Status.PENDING_APPROVAL
        && Duration.between(e.requestedAt(), now).compareTo(settings.pendingFor()) > 0;
  }
}
