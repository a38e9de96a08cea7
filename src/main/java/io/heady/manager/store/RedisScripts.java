package io.heady.manager.store;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The Lua scripts of the Redis store. Every write is one script run, so it is atomic (Redis runs a script
 * alone and writes its effects to the AOF as one MULTI/EXEC, which a truncated AOF drops whole on load) and
 * costs one round trip however many tasks it carries. The store loads them on every new connection and
 * calls them by SHA-1.
 */
final class RedisScripts {
  /**
   * KEYS: see {@link RedisKeys#writeKeys()}. ARGV: 1 fencing owner ('' = not fenced), 2 now (epoch ms),
   * 3 keep finished (0 = all), 4 age cutoff (epoch ms; '' = no age limit), 5 op, 6… the op's arguments:
   * {@code tasks}: id, seq, status, document, repeated; {@code nodes}: id, document, repeated;
   * {@code delnode}: id; {@code counters}: document; {@code expire}: nothing.
   * Returns how many finished tasks the retention removed.
   */
  static final String WRITE = """
      local owner = ARGV[1]
      if owner ~= '' then
        local cur = redis.call('GET', KEYS[8])
        if cur ~= owner then
          return redis.error_reply('NOTLEADER ' .. (cur or '-'))
        end
      end
      local now, op = ARGV[2], ARGV[5]
      local done = {succeeded = KEYS[9], failed = KEYS[10], timed_out = KEYS[11], cancelled = KEYS[12],
        skipped = KEYS[13]}
      local function undone(id)
        for _, k in pairs(done) do
          redis.call('ZREM', k, id)
        end
      end
      local expire = false
      if op == 'tasks' then
        local top = tonumber(redis.call('GET', KEYS[14]) or '0')
        local high = top
        for i = 6, #ARGV, 4 do
          local id, seq, index = ARGV[i], ARGV[i + 1], done[ARGV[i + 2]]
          redis.call('HSET', KEYS[1], id, ARGV[i + 3])
          -- a task is in one status index at most, and only while it is in the history
          local was = redis.call('ZSCORE', KEYS[3], id)
          if was then
            undone(id)
          end
          if index then
            redis.call('ZREM', KEYS[2], id)
            if not was then
              redis.call('ZADD', KEYS[3], redis.call('INCR', KEYS[5]), id)
              redis.call('ZADD', KEYS[4], now, id)
            end
            redis.call('ZADD', index, seq, id)
          else
            -- whatever the last document says is the state: a finished task saved as unfinished again
            -- (a stale retry) leaves the history and rejoins the queue
            redis.call('ZADD', KEYS[2], seq, id)
            if was then
              redis.call('ZREM', KEYS[3], id)
              redis.call('ZREM', KEYS[4], id)
            end
          end
          if tonumber(seq) > high then
            high = tonumber(seq)
          end
        end
        if high > top then
          redis.call('SET', KEYS[14], string.format('%d', high))
        end
        expire = true
      elseif op == 'nodes' then
        for i = 6, #ARGV, 2 do
          redis.call('HSET', KEYS[6], ARGV[i], ARGV[i + 1])
        end
      elseif op == 'delnode' then
        redis.call('HDEL', KEYS[6], ARGV[6])
      elseif op == 'counters' then
        redis.call('SET', KEYS[7], ARGV[6])
      elseif op == 'expire' then
        expire = true
      else
        return redis.error_reply('ERR heady: unknown op ' .. tostring(op))
      end
      if not expire then
        return 0
      end
      local max = MAX_EXPIRED
      local removed = 0
      local function drop(ids)
        for _, id in ipairs(ids) do
          redis.call('HDEL', KEYS[1], id)
          redis.call('ZREM', KEYS[3], id)
          redis.call('ZREM', KEYS[4], id)
          undone(id)
        end
        removed = removed + #ids
      end
      local keep = tonumber(ARGV[3])
      if keep > 0 then
        local over = redis.call('ZCARD', KEYS[3]) - keep
        if over > 0 then
          drop(redis.call('ZRANGE', KEYS[3], 0, math.min(over, max) - 1))
        end
      end
      if ARGV[4] ~= '' and removed < max then
        drop(redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', ARGV[4], 'LIMIT', 0, max - removed))
      end
      return removed
      """.replace("MAX_EXPIRED", Integer.toString(Retention.MAX_EXPIRED_PER_CALL));

  /**
   * KEYS: 1 leader, 2 leader's URL. ARGV: 1 manager id, 2 ttl ms, 3 its URL document ('' = none). Returns 1 when
   * the manager leads afterwards.
   */
  static final String LEAD = """
      local cur = redis.call('GET', KEYS[1])
      if not cur or cur == ARGV[1] then
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        if ARGV[3] ~= '' then
          redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[2])
        else
          redis.call('DEL', KEYS[2])
        end
        return 1
      end
      return 0
      """;

  /** KEYS: 1 leader, 2 leader's URL. ARGV: 1 manager id. Frees the lease if the manager holds it. */
  static final String RESIGN = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        redis.call('DEL', KEYS[1])
        redis.call('DEL', KEYS[2])
        return 1
      end
      return 0
      """;

  /**
   * Indexes, by status, finished tasks an earlier heady saved before the status indexes existed, a chunk per
   * run, resuming where the last run stopped (its place is kept in KEYS[8]; 'done' once it reached the end),
   * and raises the highest seq to theirs and the unfinished tasks'. Idempotent: a task already indexed is
   * indexed again with the same score. KEYS: 1 tasks, 2 finished, 3-7 the status indexes (as in
   * {@link RedisKeys#DONE}), 8 where it stands, 9 the highest seq, 10 unfinished. ARGV: 1 chunk size.
   * Returns how many tasks this run looked at (0: nothing is left).
   */
  static final String BACKFILL = """
      local from = redis.call('GET', KEYS[8])
      if from == 'done' then
        return 0
      end
      local top = tonumber(redis.call('GET', KEYS[9]) or '0')
      local high = top
      if not from then
        local u = redis.call('ZREVRANGE', KEYS[10], 0, 0, 'WITHSCORES')
        if #u == 2 and tonumber(u[2]) > high then
          high = tonumber(u[2])
        end
        from = '0'
      end
      local done = {succeeded = KEYS[3], failed = KEYS[4], timed_out = KEYS[5], cancelled = KEYS[6],
        skipped = KEYS[7]}
      local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. from, '+inf', 'WITHSCORES', 'LIMIT', 0, ARGV[1])
      for i = 1, #ids, 2 do
        local doc = redis.call('HGET', KEYS[1], ids[i])
        if doc then
          local ok, t = pcall(cjson.decode, doc)
          if ok and type(t) == 'table' then
            local seq, index = tonumber(t.seq), done[t.status]
            if seq and index then
              redis.call('ZADD', index, seq, ids[i])
              if seq > high then
                high = seq
              end
            end
          end
        end
        from = ids[i + 1]
      end
      if high > top then
        redis.call('SET', KEYS[9], string.format('%d', high))
      end
      redis.call('SET', KEYS[8], #ids == 0 and 'done' or from)
      return #ids / 2
      """;

  static final String WRITE_SHA = sha1(WRITE);
  static final String BACKFILL_SHA = sha1(BACKFILL);
  static final String LEAD_SHA = sha1(LEAD);
  static final String RESIGN_SHA = sha1(RESIGN);

  /** Every script with its SHA-1, for loading on a new connection. */
  static final List<String[]> ALL = List.of(new String[] {WRITE, WRITE_SHA}, new String[] {LEAD, LEAD_SHA},
      new String[] {RESIGN, RESIGN_SHA}, new String[] {BACKFILL, BACKFILL_SHA});

  private RedisScripts() {}

  /** An EVALSHA of a loaded script with these keys; the caller adds the script's ARGV. */
  static Request call(String sha, String... keys) {
    Request r = Request.cmd(Command.EVALSHA).arg(sha).arg(keys.length);
    for (String key : keys) {
      r.arg(key);
    }
    return r;
  }

  static String sha1(String script) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(md.digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-1", e);
    }
  }
}
