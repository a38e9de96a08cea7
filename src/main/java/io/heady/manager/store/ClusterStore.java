package io.heady.manager.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * Where the manager keeps what it must not lose: nodes, tasks (with their attempts and history) and
 * counters. The scheduler holds the working copy in memory and writes every change here before it
 * acknowledges it; on start it reads everything back.
 *
 * <p>Records are the JSON documents of {@code NodeRecord.toJson()} and {@code TaskRecord.toJson()}, keyed by
 * {@code node_id} and {@code task_id}. A task's {@code status} and {@code seq} are indexed so unfinished
 * tasks can be recovered in queue order and tasks listed by status in submission order ({@link #tasks}).
 *
 * <p>Every implementation passes the same contract suite ({@code ClusterStoreContract} in the tests); what
 * it checks is the meaning of these methods. Indexes always agree with the last document written for a task:
 * a task is in {@link #unfinishedTasks()} exactly when its last saved {@code status} is not final, and in
 * {@link #history} exactly when it is (until {@link Retention} removes it).
 *
 * <p>Failures: {@link StoreUnavailableException} when the store cannot be reached or does not answer in
 * time (futures never hang), {@link NotLeaderException} for a fenced write after leadership passed on,
 * {@link IllegalArgumentException} for a document without its key fields (nothing of that batch is written).
 */
public interface ClusterStore {
  /** Writes (inserts or replaces) nodes. */
  Future<Void> saveNodes(List<JsonObject> nodes);

  Future<Void> deleteNode(String nodeId);

  /** Every node. */
  Future<List<JsonObject>> nodes();

  /**
   * Writes tasks in one batch: either all are durable when the future succeeds, or the failure says the
   * batch must be retried (writes are idempotent: the same document twice is the same state). A batch lands
   * whole or not at all, and batches from one caller land in the order they were issued. After a failure,
   * retry by saving the tasks' current documents, not the failed batch: a later batch may have succeeded.
   * Every document needs {@code task_id} (string), {@code seq} (number) and {@code status}. The first time a
   * task is saved with a final status it gets the next finish position ({@code finish_seq}); the
   * {@link Retention} is applied in the same write. The store may keep the documents it is given: the caller
   * must not change them afterwards.
   */
  Future<Void> saveTasks(List<JsonObject> tasks);

  /** One task, or {@code null}. */
  Future<JsonObject> task(String taskId);

  /** Every task not yet finished, in submission ({@code seq}) order. */
  Future<List<JsonObject>> unfinishedTasks();

  /**
   * Finished tasks, most recent last: at most {@code limit}, finished before the given position
   * ({@code beforeFinishSeq <= 0}: the most recent). Each document carries its {@code finish_seq}; pass the
   * first one of a page as {@code beforeFinishSeq} for the page before it.
   */
  Future<List<JsonObject>> history(int limit, long beforeFinishSeq);

  /**
   * A page of tasks, finished or not, in submission order ({@link TaskPosition}: {@code seq}, then id), for
   * lists that reach further back than the scheduler's memory. Following {@link TaskPage#next()} from the
   * start until it is {@code null} lists every matching task the store holds exactly once, in order; a task
   * saved later at a position the pages have passed is not listed, and no page repeats one. What is checked
   * is the document as last saved.
   *
   * <p>Bounded work: one call reads at most {@link #MAX_SCAN} documents, so a page can be shorter than the
   * limit and still have a {@code next}. Finished statuses are indexed, so a query whose only filter is
   * finished statuses, with a limit up to {@code MAX_SCAN}, fills its pages; a node, type or time filter (and,
   * in some stores, an unfinished status) is checked on the documents, and such a page is short only when the
   * store read {@code MAX_SCAN} documents for it. A time window ends the list at its edge
   * ({@link TaskQuery#pastWindow}): the page that meets it has no {@code next}.
   */
  Future<TaskPage> tasks(TaskQuery query);

  /** The most task documents one {@link #tasks} call reads. */
  int MAX_SCAN = 200;

  /**
   * The highest {@code seq} of any task ever saved here, 0 when none; it never goes down, not even when the
   * {@link Retention} removes that task. A manager that starts numbering after it never gives a new task the
   * seq of a stored one.
   */
  Future<Long> highestSeq();

  /**
   * Applies the {@link Retention} now and says how many finished tasks it removed. {@link #saveTasks} does
   * the same on every write; call this on a timer so age-based expiry also happens while nothing finishes.
   */
  Future<Integer> expireFinished();

  /**
   * The cluster's identity document (its CA and the managers' key, see {@code ClusterAuthority}), or
   * {@code null} before the first manager made one.
   */
  Future<JsonObject> identity();

  /**
   * Saves the identity unless the store has one; answers the one it keeps (so two managers starting at once
   * end with the same: the first one's).
   */
  Future<JsonObject> saveIdentityIfAbsent(JsonObject identity);

  /**
   * The key the cluster's secrets are encrypted with ({@code SecretsKey}), or {@code null} before a manager made
   * one. Kept apart from the secrets themselves, which this store holds as ciphertext only.
   */
  Future<JsonObject> secretsKey();

  /** Saves the secrets' key unless the store has one; answers the one it keeps (the first one saved). */
  Future<JsonObject> saveSecretsKeyIfAbsent(JsonObject key);

  /**
   * Every secret's document ({@code name}, its value encrypted, when it was made and changed), in no particular
   * order. The store never sees a value in clear.
   */
  Future<List<JsonObject>> secrets();

  /** One secret's document, or {@code null}. */
  Future<JsonObject> secret(String name);

  /** Saves a secret's document by its {@code name}, replacing the one kept. */
  Future<Void> saveSecret(JsonObject secret);

  /** Removes a secret; {@code true} when there was one of that name. */
  Future<Boolean> deleteSecret(String name);

  /** Every node enrollment ({@code node_id}, public key, status), in no particular order. */
  Future<List<JsonObject>> enrollments();

  /** Saves one enrollment by its {@code node_id}, replacing the one kept. */
  Future<Void> saveEnrollment(JsonObject enrollment);

  Future<Void> deleteEnrollment(String nodeId);

  /** Counters are written whole; they are a snapshot, not deltas. */
  Future<Void> saveCounters(JsonObject counters);

  Future<JsonObject> counters();

  /**
   * Takes or renews the leadership lease: succeeds with {@code true} when {@code managerId} leads for the
   * next {@code ttl} (it was free, expired, or already {@code managerId}'s), {@code false} when another
   * manager holds it. Renew well within {@code ttl}.
   *
   * <p>Fencing: from its first call on, this store instance writes on behalf of {@code managerId}, and every
   * write fails with {@link NotLeaderException} (landing nothing) unless {@code managerId} holds the lease
   * at that moment. A manager that never calls it is not fenced (a single manager).
   */
  default Future<Boolean> tryLead(String managerId, Duration ttl) {
    return tryLead(managerId, null, ttl);
  }

  /**
   * {@link #tryLead(String, Duration)}, keeping {@code url} (the API URL this manager advertises, or {@code null})
   * with the lease while it holds it, so a standby can tell clients where the leader is ({@link #leaderUrl}).
   */
  Future<Boolean> tryLead(String managerId, String url, Duration ttl);

  /** Who holds the leadership lease now, or {@code null}. */
  Future<String> leader();

  /** The API URL the manager holding the lease now gave with it, or {@code null} (none given, or no leader). */
  Future<String> leaderUrl();

  /** Gives the lease up if {@code managerId} holds it, so a standby can take over at once. */
  Future<Void> resign(String managerId);

  /** Succeeds when the store is reachable and writable. */
  Future<Void> ping();

  /**
   * What keeps this store's writes, as {@code GET /api/cluster/state} shows it under {@code store}: {@code kind}
   * ({@code memory}, {@code redis}), {@code durable} (whether an acknowledged write outlives the manager) and, for
   * Redis, {@code fsync} (its {@code appendfsync} once read, else absent: not known yet, or CONFIG is forbidden).
   */
  io.vertx.core.json.JsonObject durability();

  /** A short description for logs and health ({@code memory}, {@code redis://host:port/db}). */
  String describe();

  Future<Void> close();
}
