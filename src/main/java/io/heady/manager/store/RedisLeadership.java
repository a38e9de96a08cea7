package io.heady.manager.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The leadership lease of the Redis store ({@link ClusterStore#tryLead}): one key holding the leading manager's
 * id with an expiry (and one beside it with the API URL it gave), taken and renewed by {@link RedisScripts#LEAD}
 * and given up by {@link RedisScripts#RESIGN}.
 * Once a manager asked to lead, it is the owner every write of the store is fenced with.
 */
final class RedisLeadership {
  private final RedisLink link;
  private final RedisKeys keys;
  private final AtomicReference<String> self;

  /** @param self where the manager this store writes for is kept; set by the first {@link #tryLead} */
  RedisLeadership(RedisLink link, RedisKeys keys, AtomicReference<String> self) {
    this.link = link;
    this.keys = keys;
    this.self = self;
  }

  Future<Boolean> tryLead(String managerId, String url, Duration ttl) {
    if (managerId == null || managerId.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("a manager id is needed to lead"));
    }
    self.set(managerId);
    // why: the URL is kept with the id it belongs to, so a reader never pairs one leader's id with another's URL
    String where = url == null || url.isEmpty() ? "" : new JsonObject().put("id", managerId).put("url", url).encode();
    Request r = RedisScripts.call(RedisScripts.LEAD_SHA, keys.leader(), keys.leaderUrl()).arg(managerId)
        .arg(Math.max(1, ttl.toMillis())).arg(where);
    return link.send(r).map(v -> v.toInteger() == 1);
  }

  Future<String> leader() {
    return link.send(Request.cmd(Command.GET).arg(keys.leader())).map(r -> r == null ? null : r.toString());
  }

  Future<String> leaderUrl() {
    return link.send(Request.cmd(Command.MGET).arg(keys.leader()).arg(keys.leaderUrl())).map(r -> {
      if (r == null || r.size() < 2 || r.get(0) == null || r.get(1) == null) {
        return null;
      }
      try {
        JsonObject w = new JsonObject(r.get(1).toString());
        return r.get(0).toString().equals(w.getString("id")) ? w.getString("url") : null;
      } catch (RuntimeException notOurs) {
        return null;
      }
    });
  }

  Future<Void> resign(String managerId) {
    return link.send(RedisScripts.call(RedisScripts.RESIGN_SHA, keys.leader(), keys.leaderUrl()).arg(managerId))
        .mapEmpty();
  }
}
