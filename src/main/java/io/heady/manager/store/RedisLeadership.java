package io.heady.manager.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The leadership lease of the Redis store ({@link ClusterStore#tryLead}): one key holding the leading manager's
 * id with an expiry, taken and renewed by {@link RedisScripts#LEAD} and given up by {@link RedisScripts#RESIGN}.
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

  Future<Boolean> tryLead(String managerId, Duration ttl) {
    if (managerId == null || managerId.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("a manager id is needed to lead"));
    }
    self.set(managerId);
    Request r = RedisScripts.call(RedisScripts.LEAD_SHA, keys.leader()).arg(managerId).arg(Math.max(1, ttl.toMillis()));
    return link.send(r).map(v -> v.toInteger() == 1);
  }

  Future<String> leader() {
    return link.send(Request.cmd(Command.GET).arg(keys.leader())).map(r -> r == null ? null : r.toString());
  }

  Future<Void> resign(String managerId) {
    return link.send(RedisScripts.call(RedisScripts.RESIGN_SHA, keys.leader()).arg(managerId)).mapEmpty();
  }
}
