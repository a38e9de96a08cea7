package io.heady.manager.store;

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
 * {prefix}nodes              hash    node_id → node document
 * {prefix}counters           string  the counters document
 * {prefix}leader             string  the manager id holding the leadership lease (expires, PX)
 * {prefix}alive              string  written by ping() to prove the store is writable (expires)
 * </pre>
 */
record RedisKeys(String prefix) {
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

  String nodes() {
    return prefix + "nodes";
  }

  String counters() {
    return prefix + "counters";
  }

  String leader() {
    return prefix + "leader";
  }

  String alive() {
    return prefix + "alive";
  }

  /** The keys the write script touches, in the order it names them (KEYS[1..8]). */
  String[] writeKeys() {
    return new String[] {tasks(), unfinished(), finished(), finishedAt(), finishSeq(), nodes(), counters(),
        leader()};
  }
}
