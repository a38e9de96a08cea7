package io.heady.manager.identity;

import io.heady.common.identity.Pki;
import io.heady.manager.store.ClusterStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every node's enrollment, held in memory for the checks each message makes (a node's pair key, whether a
 * certificate is still trusted) and kept in a {@link Book}: the cluster store when it is durable (standby
 * managers share it), else a file in the manager's data dir, so agents keep their identity across restarts
 * of a manager without a store. Decisions are the {@link EnrollmentDesk}'s.
 */
public final class Enrollments {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Enrollments.class);
  /** Where enrollments are kept. */
  public interface Book {
    Future<List<JsonObject>> load();

    Future<Void> save(JsonObject enrollment);

    Future<Void> delete(String nodeId);
  }

  /**
   * One enrollment with what the checks need, computed once.
   *
   * @param expiresAt when it is forgotten if its node has not registered by then, or {@code null}
   */
  private record Entry(Enrollment e, PublicKey key, byte[] pairKey, Instant expiresAt) {}

  private final ClusterAuthority authority;
  private final EnrollmentDesk desk;
  private final Book book;
  private final Clock clock;
  private final Map<String, Entry> byId = new ConcurrentHashMap<>();

  public Enrollments(ClusterAuthority authority, EnrollmentDesk desk, Book book, Clock clock) {
    this.authority = authority;
    this.desk = desk;
    this.book = book;
    this.clock = clock;
  }

  /** The manager's time, as this book reads it (enrollment proofs are checked against it). */
  public Instant now() {
    return clock.instant();
  }

  /** Enrollments kept in the cluster store. */
  public static Book in(ClusterStore store) {
    return new Book() {
      @Override
      public Future<List<JsonObject>> load() {
        return store.enrollments();
      }

      @Override
      public Future<Void> save(JsonObject e) {
        return store.saveEnrollment(e);
      }

      @Override
      public Future<Void> delete(String nodeId) {
        return store.deleteEnrollment(nodeId);
      }
    };
  }

  /**
   * Enrollments kept in one file of the manager's data dir (0600), one line appended per change and flushed to
   * disk before the change is answered (see {@link EnrollmentFile}).
   */
  public static Book in(Vertx vertx, Path file) {
    return new EnrollmentFile(vertx, file);
  }

  /**
   * Reads what the book keeps (at start, and when a standby takes over: nodes may have enrolled with the
   * leader meanwhile), replacing what is held.
   */
  public Future<Void> load() {
    return book.load().map(list -> {
      synchronized (this) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        list.forEach(j -> {
          Enrollment e = Enrollment.fromJson(j);
          seen.add(e.nodeId());
          Entry held = byId.get(e.nodeId());
          if (held == null || !held.e().equals(e)) {
            put(e);
          }
        });
        byId.keySet().retainAll(seen);
      }
      return null;
    });
  }

  private void put(Enrollment e) {
    PublicKey k = Pki.publicKey(e.publicKey());
    byId.put(e.nodeId(), new Entry(e, k, e.status() == Enrollment.Status.ENROLLED
        ? authority.pairKey(e.nodeId(), k) : null, desk.expiresAt(e)));
  }

  private Future<Enrollment> keep(Enrollment e) {
    put(e);
    return book.save(e.toJson()).map(e);
  }

  // ---- the checks every message makes -------------------------------------------------------------------

  /**
   * The key the manager shares with an enrolled node, or {@code null} (unknown, waiting, revoked, or enrolled
   * too long ago without registering: forgotten, even before the next sweep removes it).
   */
  public byte[] pairKey(String nodeId) {
    Entry e = nodeId == null ? null : byId.get(nodeId);
    if (e == null || (e.expiresAt() != null && clock.instant().isAfter(e.expiresAt()))) {
      return null;
    }
    return e.pairKey();
  }

  /** Whether a node is enrolled now. */
  public boolean enrolled(String nodeId) {
    return pairKey(nodeId) != null;
  }

  // ---- enrollment ---------------------------------------------------------------------------------------

  /** An enrollment request, decided and kept. */
  public synchronized Future<EnrollmentDesk.Decision> enroll(EnrollmentDesk.Request r) {
    Instant now = clock.instant();
    expire(now);
    Entry existing = byId.get(r.nodeId());
    boolean revokedKey = byId.values().stream().anyMatch(x -> x.e().status() == Enrollment.Status.REVOKED
        && x.e().fingerprint().equals(r.fingerprint()));
    String keyHolder = byId.values().stream().filter(x -> x.e().status() != Enrollment.Status.REVOKED
        && x.e().fingerprint().equals(r.fingerprint())).map(x -> x.e().nodeId()).findFirst().orElse(null);
    EnrollmentDesk.Decision d = desk.decide(r, existing == null ? null : existing.e(), revokedKey, keyHolder,
        counts(), now);
    if (!d.changed()) {
      return Future.succeededFuture(d);
    }
    Future<Void> moved = Future.succeededFuture();
    if (existing != null && existing.e().status() == Enrollment.Status.REVOKED) {
      // why: the id goes to a new key, but the revoked key must still enroll nothing: keep it apart
      Enrollment old = existing.e();
      Enrollment apart = new Enrollment("revoked~" + old.fingerprint().replace(":", "").substring(0, 16), old.name(),
          old.publicKey(), old.fingerprint(), Enrollment.Status.REVOKED, old.requestedAt(), old.decidedAt(),
          old.address(), old.registeredAt());
      moved = keep(apart).mapEmpty();
    }
    return moved.compose(v -> keep(d.record())).map(d);
  }

  /**
   * The node registered (with its credential: its registration was sealed with its pair key). The first time,
   * its enrollment is kept as registered and no longer expires.
   */
  public synchronized Future<Void> registered(String nodeId) {
    Entry e = nodeId == null ? null : byId.get(nodeId);
    if (e == null || e.e().status() != Enrollment.Status.ENROLLED || e.e().registeredAt() != null) {
      return Future.succeededFuture();
    }
    Enrollment now = e.e().registered(clock.instant());
    // why: called on the scheduler's loop; the key and the pair key are the same, so nothing is computed again
    byId.put(nodeId, new Entry(now, e.key(), e.pairKey(), desk.expiresAt(now)));
    return book.save(now.toJson());
  }

  /** An operator approves a waiting node. */
  public synchronized Future<Enrollment> approve(String nodeId) {
    Entry e = byId.get(nodeId);
    if (e == null || e.e().status() != Enrollment.Status.PENDING_APPROVAL) {
      return Future.failedFuture(new IllegalStateException(e == null ? "no node " + nodeId + " waits for approval"
          : "node " + nodeId + " is " + e.e().status().wire() + ", not waiting for approval"));
    }
    return keep(e.e().with(Enrollment.Status.ENROLLED, clock.instant()));
  }

  /** An operator revokes a node (enrolled or waiting): nothing it sends is accepted any more. */
  public synchronized Future<Enrollment> revoke(String nodeId) {
    Entry e = byId.get(nodeId);
    if (e == null || e.e().status() == Enrollment.Status.REVOKED) {
      return Future.failedFuture(new IllegalStateException(e == null ? "node " + nodeId + " is not enrolled"
          : "node " + nodeId + " is already revoked"));
    }
    return keep(e.e().with(Enrollment.Status.REVOKED, clock.instant()));
  }

  public Enrollment get(String nodeId) {
    Entry e = byId.get(nodeId);
    return e == null ? null : e.e();
  }

  public List<Enrollment> all() {
    List<Enrollment> out = new ArrayList<>();
    byId.values().forEach(e -> out.add(e.e()));
    out.sort((a, b) -> a.nodeId().compareTo(b.nodeId()));
    return out;
  }

  private EnrollmentDesk.Counts counts() {
    int waiting = 0;
    int live = 0;
    for (Entry e : byId.values()) {
      if (e.e().status() != Enrollment.Status.REVOKED) {
        live++;
        if (EnrollmentDesk.waiting(e.e())) {
          waiting++;
        }
      }
    }
    return new EnrollmentDesk.Counts(waiting, live);
  }

  /**
   * Forgets the enrollments that waited too long (for approval, or for their node to register): their ids are
   * free again. Runs before each enrollment and on the manager's sweep; returns how many it forgot.
   */
  public synchronized int expire() {
    return expire(clock.instant());
  }

  private int expire(Instant now) {
    List<String> gone = new ArrayList<>();
    for (Entry e : List.copyOf(byId.values())) {
      if (e.expiresAt() != null && now.isAfter(e.expiresAt())) {
        byId.remove(e.e().nodeId());
        book.delete(e.e().nodeId()).onFailure(x -> LOG.warn("cannot forget the enrollment of {}: {}",
            e.e().nodeId(), x.getMessage()));
        gone.add(e.e().nodeId());
      }
    }
    if (!gone.isEmpty()) {
      LOG.info("forgot {} enrollment(s) that waited too long for approval or for their node to register: {}",
          gone.size(), gone.size() <= 10 ? gone : gone.subList(0, 10) + " …");
    }
    return gone.size();
  }

  public ClusterAuthority authority() {
    return authority;
  }

  public EnrollmentDesk desk() {
    return desk;
  }
}
