package io.heady.manager.store;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the Redis store keeps what, all under one prefix so several clusters (or test runs) can share a
 * Redis database. Documents are JSON strings.
 *
 * <pre>
 * {prefix}tasks              hash    task_id → task document
 * {prefix}tasks:unfinished   zset    task_id scored by seq (the queue order to recover)
 * {prefix}tasks:finished     zset    task_id scored by finish_seq (history, in finish order)
 * {prefix}tasks:finished_at  zset    task_id scored by finish time, epoch ms (age-based retention)
 * {prefix}tasks:finish_seq   string  the last finish_seq given out
 * {prefix}tasks:done:STATUS  zset    task_id scored by seq, one per final status (lists by status)
 * {prefix}tasks:max_seq      string  the highest seq ever saved
 * {prefix}tasks:done_indexed string  how far the status indexes were built for an earlier heady's tasks
 * {prefix}nodes              hash    node_id → node document
 * {prefix}identity           string  the cluster's identity document
 * {prefix}enrollments        hash    node_id → enrollment document
 * {prefix}secrets            hash    name → secret document (its value encrypted; never in clear)
 * {prefix}secrets:key        string  the key the secrets are encrypted with
 * {prefix}counters           string  the counters document
 * {prefix}leader             string  the manager id holding the leadership lease (expires, PX)
 * {prefix}alive              string  written by ping() to prove the store is writable (expires)
 * </pre>
 */
record RedisKeys(String prefix) {
  /** The final statuses with an index each, in the order the write script names their keys. */
  static final List<String> DONE = StoreStates.FINAL;

  String tasks() {
    return prefix + "tasks";
  }

  String unfinished() {
    return prefix + "tasks:unfinished";
  }

  String finished() {
    return prefix + "tasks:finished";
  }

  String finishedAt() {
    return prefix + "tasks:finished_at";
  }

  String finishSeq() {
    return prefix + "tasks:finish_seq";
  }

  /** The index of finished tasks with this final status, by seq. */
  String done(String status) {
    return prefix + "tasks:done:" + status;
  }

  String maxSeq() {
    return prefix + "tasks:max_seq";
  }

  String doneIndexed() {
    return prefix + "tasks:done_indexed";
  }

  /** The keys of {@link RedisScripts#BACKFILL}, in the order it names them. */
  String[] backfillKeys() {
    List<String> k = new ArrayList<>(List.of(tasks(), finished()));
    DONE.forEach(s -> k.add(done(s)));
    k.addAll(List.of(doneIndexed(), maxSeq(), unfinished()));
    return k.toArray(String[]::new);
  }

  String nodes() {
    return prefix + "nodes";
  }

  String identity() {
    return prefix + "identity";
  }

  String enrollments() {
    return prefix + "enrollments";
  }

  String secrets() {
    return prefix + "secrets";
  }

  String secretsKey() {
    return prefix + "secrets:key";
  }

  String counters() {
    return prefix + "counters";
  }

  String leader() {
    return prefix + "leader";
  }

  /** The API URL the lease holder gave, with its id: {@code {"id": …, "url": …}}, expiring with the lease. */
  String leaderUrl() {
    return prefix + "leader:url";
  }

  String alive() {
    return prefix + "alive";
  }

  /**
   * The keys the write script touches, in the order it names them: KEYS[1..8] as listed above, then the
   * {@link #DONE} indexes (KEYS[9..13]) and the highest seq (KEYS[14]).
   */
  String[] writeKeys() {
    List<String> k = new ArrayList<>(List.of(tasks(), unfinished(), finished(), finishedAt(), finishSeq(), nodes(),
        counters(), leader()));
    DONE.forEach(s -> k.add(done(s)));
    k.add(maxSeq());
    return k.toArray(String[]::new);
  }
}
