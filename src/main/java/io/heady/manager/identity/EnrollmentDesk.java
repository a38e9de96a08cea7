package io.heady.manager.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Decides an enrollment request: plain rules, no I/O. The join token proves only that the caller may ask;
 * the node id is bound to the first key that enrolls it, for good, until an operator revokes it, and a key to one
 * node id (so revoking a node stops its key everywhere, not under one of several names). Reserved ids
 * ({@code local}, the manager's own executor; {@code manager}; {@code heady}) are never given out.
 *
 * <p>What a join-token holder can make the manager keep is bounded: an enrollment whose node never registers is
 * forgotten after {@link Settings#registerWithin} (its id is free again), at most {@link Settings#maxPending}
 * enrollments wait (for an operator, or for their node to register) at once, and at most
 * {@link Settings#maxNodes} nodes are enrolled in all.
 */
public final class EnrollmentDesk {
  /** Ids no agent may take. */
  public static final Set<String> RESERVED = io.heady.common.protocol.Fields.RESERVED_NODE_IDS;

  /**
   * How long an enrolled node has to register. why: an agent registers within seconds of enrolling (it retries
   * every few seconds while the manager is away); an hour covers a manager restart or a network outage in
   * between, and frees the ids (and the pending places) a join-token holder took for nodes that never come.
   */
  public static final Duration REGISTER_WITHIN = Duration.ofHours(1);
  /** How long a node waits for an operator's approval before it is forgotten (a person decides: a day). */
  public static final Duration APPROVAL_WAIT = Duration.ofDays(1);
  /**
   * Enrollments that may wait at once, for approval or for their node to register. why: a home or lab cluster
   * installs tens of nodes at a time, not hundreds; this bounds what a join-token holder makes the manager keep.
   */
  public static final int MAX_PENDING = 200;
  /** Nodes enrolled in all (revoked ones not counted). why: far above any cluster heady is for, and a bound. */
  public static final int MAX_NODES = 5_000;

  /**
   * @param approvalNeeded {@code --approve-nodes}: a new node waits for an operator
   * @param maxPending enrollments that may wait at once (for approval, or for their node's first registration)
   * @param pendingFor how long one waits for approval before it is forgotten
   * @param registerWithin how long an enrolled node has to register before its enrollment is forgotten
   * @param maxNodes enrollments kept in all, waiting or enrolled (revoked ones not counted)
   */
  public record Settings(boolean approvalNeeded, int maxPending, Duration pendingFor, Duration registerWithin,
      int maxNodes) {
    public static final Settings OPEN = of(false);

    /** The defaults, with or without approval. */
    public static Settings of(boolean approvalNeeded) {
      return new Settings(approvalNeeded, MAX_PENDING, APPROVAL_WAIT, REGISTER_WITHIN, MAX_NODES);
    }
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

  /**
   * How many enrollments are kept now (expired ones left out).
   *
   * @param waiting those waiting for approval or for their node's first registration
   * @param live every one not revoked (waiting or enrolled)
   */
  public record Counts(int waiting, int live) {}

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
   * @param counts what is kept now
   */
  public Decision decide(Request r, Enrollment existing, boolean revokedKey, String keyHolder, Counts counts,
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
    if (existing != null && expired(existing, now)) {
      existing = null; // forgotten: the id is free, asked anew below
    }
    if (existing != null && existing.status() != Enrollment.Status.REVOKED) {
      boolean sameKey = existing.fingerprint().equals(r.fingerprint());
      if (!sameKey) {
        return Decision.refused(409, "ID_TAKEN", "node id " + r.nodeId() + " is " + (existing.status()
            == Enrollment.Status.ENROLLED ? "enrolled" : "waiting for approval") + " with another key; an"
            + " operator must revoke it first (heady nodes revoke " + r.nodeId() + ")");
      }
      return existing.status() == Enrollment.Status.ENROLLED
          ? new Decision(Verdict.ENROLLED, existing, false, 200, null, null)
          : new Decision(Verdict.PENDING, existing, false, 202, null, null);
    }
    if (counts.live() >= settings.maxNodes()) {
      return Decision.refused(507, "TOO_MANY_NODES", counts.live() + " nodes are enrolled or waiting, the most"
          + " one manager keeps (" + settings.maxNodes() + "); revoke nodes that are gone (heady nodes revoke NODE)"
          + " before enrolling more");
    }
    if (counts.waiting() >= settings.maxPending()) {
      return Decision.refused(429, "TOO_MANY_PENDING", counts.waiting() + " enrollments are waiting already "
          + (settings.approvalNeeded() ? "for approval or " : "") + "for their node to register (at most "
          + settings.maxPending() + "; one that does not register within " + settings.registerWithin().toMinutes()
          + " min is forgotten). Retry later" + (settings.approvalNeeded() ? ", approve or revoke them (heady nodes)"
          : "") + "; if you did not start that many nodes, someone else holds the join token: rotate it (heady"
          + " token rotate --join)");
    }
    if (settings.approvalNeeded()) {
      return new Decision(Verdict.PENDING, new Enrollment(r.nodeId(), r.name(), r.publicKey(), r.fingerprint(),
          Enrollment.Status.PENDING_APPROVAL, now, null, r.address(), null), true, 202, null, null);
    }
    return new Decision(Verdict.ENROLLED, new Enrollment(r.nodeId(), r.name(), r.publicKey(), r.fingerprint(),
        Enrollment.Status.ENROLLED, now, now, r.address(), null), true, 201, null, null);
  }

  /** Whether an enrollment waits: for an operator, or for its node's first registration. */
  public static boolean waiting(Enrollment e) {
    return e.status() == Enrollment.Status.PENDING_APPROVAL
        || (e.status() == Enrollment.Status.ENROLLED && e.registeredAt() == null);
  }

  /**
   * When a waiting enrollment is to be forgotten: a request for approval {@code pendingFor} after it was made,
   * an enrolled node that has not registered {@code registerWithin} after it was enrolled (or approved); else
   * {@code null} (it never expires).
   */
  public Instant expiresAt(Enrollment e) {
    if (e.status() == Enrollment.Status.PENDING_APPROVAL) {
      return e.requestedAt().plus(settings.pendingFor());
    }
    if (e.status() == Enrollment.Status.ENROLLED && e.registeredAt() == null) {
      return (e.decidedAt() == null ? e.requestedAt() : e.decidedAt()).plus(settings.registerWithin());
    }
    return null;
  }

  /** Whether a waiting enrollment waited too long and is to be forgotten. */
  public boolean expired(Enrollment e, Instant now) {
    Instant at = expiresAt(e);
    return at != null && now.isAfter(at);
  }
}
