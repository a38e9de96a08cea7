package io.heady.manager.store;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the Redis store does once connected, in the background: warns (once) when Redis is set up to lose
 * acknowledged writes, and indexes by status the finished tasks an earlier heady saved before those indexes
 * existed ({@link RedisScripts#BACKFILL}).
 */
final class RedisMaintenance {
  // why: the store's lines keep the store's logger, whichever of its parts writes them
  private static final Logger LOG = LoggerFactory.getLogger(RedisClusterStore.class);
  /** Earlier tasks indexed by status per script run (see {@link RedisScripts#BACKFILL}). */
  private static final int BACKFILL_CHUNK = 500;

  private final RedisLink link;
  private final RedisKeys keys;
  private final String description;

  // guarded by this
  private boolean durabilityChecked;
  private String aof;
  private String fsync;
  private boolean indexing;

  RedisMaintenance(RedisLink link, RedisKeys keys) {
    this.link = link;
    this.keys = keys;
    this.description = link.description();
  }

  /** {@link ClusterStore#durability()}: what Redis said of its append-only file, once it was asked. */
  synchronized io.vertx.core.json.JsonObject durability() {
    io.vertx.core.json.JsonObject d = new io.vertx.core.json.JsonObject().put("kind", "redis");
    if (aof != null) {
      d.put("durable", !"no".equals(aof)).put("appendonly", aof);
    }
    if (fsync != null && !"no".equals(aof)) {
      d.put("fsync", fsync);
    }
    return d;
  }

  /** Called with each new connection. */
  void connected(RedisConnection c) {
    checkDurability(c);
    indexEarlierTasks();
  }

  /**
   * Once per store, in the background: indexes by status the finished tasks an earlier heady saved before
   * those indexes existed, {@link #BACKFILL_CHUNK} per script run so Redis is never busy long. Resumes where
   * it stopped after a lost connection; a store that has done it (or began empty) skips it at once.
   */
  private void indexEarlierTasks() {
    synchronized (this) {
      if (indexing) {
        return;
      }
      indexing = true;
    }
    backfill(0);
  }

  private void backfill(long so) {
    link.send(RedisScripts.call(RedisScripts.BACKFILL_SHA, keys.backfillKeys()).arg(BACKFILL_CHUNK)).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("redis store: indexing earlier finished tasks by status stopped ({}); it resumes on the next"
            + " connection", RedisLink.reason(ar.cause()));
        synchronized (this) {
          indexing = false;
        }
      } else if (ar.result().toLong() > 0) {
        backfill(so + ar.result().toLong());
      } else if (so > 0) {
        LOG.info("redis store: indexed {} finished tasks of an earlier heady by status", so);
      }
    });
  }

  /**
   * Warns (once) when Redis would lose acknowledged writes: no AOF, or an AOF fsync policy other than
   * {@code always}. Why {@code always}: with {@code everysec}, Redis postpones writing the AOF while a
   * background fsync runs but still answers, so a write it acknowledged can vanish when the Redis process is
   * killed (the store's tests saw it in about one run in ten). Servers that forbid CONFIG are not checked.
   */
  private void checkDurability(RedisConnection c) {
    synchronized (this) {
      if (durabilityChecked) {
        return;
      }
      durabilityChecked = true;
    }
    c.send(Request.cmd(Command.CONFIG).arg("GET").arg("append*")).onSuccess(r -> {
      String aof = null;
      String fsync = null;
      // why: kept for GET /api/cluster/state, which shows how durable an acknowledged write is
      for (int i = 0; i + 1 < r.size(); i += 2) {
        String k = r.get(i).toString();
        if (k.equals("appendonly")) {
          aof = r.get(i + 1).toString();
        } else if (k.equals("appendfsync")) {
          fsync = r.get(i + 1).toString();
        }
      }
      synchronized (this) {
        this.aof = aof;
        this.fsync = fsync;
      }
      if ("no".equals(aof)) {
        LOG.warn("redis store: {} runs without an append-only file: a Redis restart loses the cluster's state;"
            + " run it with 'appendonly yes' and 'appendfsync always'", description);
      } else if (fsync != null && !fsync.equals("always")) {
        LOG.warn("redis store: {} runs with 'appendfsync {}': a crash of Redis can lose writes heady was told"
            + " were saved; 'appendfsync always' keeps every acknowledged write", description, fsync);
      }
    });
  }
}
