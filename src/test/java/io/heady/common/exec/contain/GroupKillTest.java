package io.heady.common.exec.contain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Limits;
import io.heady.common.protocol.Usage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The kill protocol against a fake group whose processes fork and ignore SIGTERM; time moves only in pauses. */
class GroupKillTest {

  /** A moved clock: pauses advance it. */
  static final class MovedClock extends Clock {
    Instant now = Instant.parse("2025-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** A group of fake processes: some ignore SIGTERM, a forker adds a child whenever it is listed unfrozen. */
  static final class FakeGroup implements Confined {
    final Set<Long> pids = new LinkedHashSet<>();
    final Set<Long> ignoreTerm = new LinkedHashSet<>();
    final Set<Long> unkillable = new LinkedHashSet<>();
    final List<String> log = new ArrayList<>();
    boolean frozen;
    boolean canFreeze = true;
    boolean hasKillFile;
    long forker = -1;
    long nextPid = 1000;

    @Override
    public List<String> prefix() {
      return List.of();
    }

    @Override
    public Limits applied() {
      return Limits.NONE;
    }

    @Override
    public boolean whole() {
      return true;
    }

    @Override
    public Set<Long> members() {
      if (forker >= 0 && pids.contains(forker) && !frozen) {
        pids.add(nextPid++); // why: a fork bomb keeps adding between a listing and a kill
      }
      return new LinkedHashSet<>(pids);
    }

    @Override
    public boolean killAll() {
      if (!hasKillFile) {
        return false;
      }
      log.add("cgroup.kill");
      pids.removeIf(p -> !unkillable.contains(p));
      return true;
    }

    @Override
    public boolean freeze(boolean f) {
      if (!canFreeze) {
        return false;
      }
      log.add(f ? "freeze" : "thaw");
      frozen = f;
      return true;
    }

    @Override
    public Usage usage() {
      return Usage.UNKNOWN;
    }

    @Override
    public boolean outOfMemory() {
      return false;
    }

    @Override
    public boolean remove() {
      return pids.isEmpty();
    }
  }

  private final MovedClock clock = new MovedClock();
  private final FakeGroup g = new FakeGroup();
  private final List<String> sent = new ArrayList<>();

  private GroupKill killer() {
    return new GroupKill(new GroupKill.Signals() {
      @Override
      public void term(long pid) {
        sent.add("TERM " + pid);
        if (!g.ignoreTerm.contains(pid) && !g.unkillable.contains(pid)) {
          g.pids.remove(pid);
        }
      }

      @Override
      public void kill(long pid) {
        sent.add("KILL " + pid + (g.frozen ? " frozen" : ""));
        if (!g.unkillable.contains(pid)) {
          g.pids.remove(pid);
        }
      }
    }, clock, ms -> clock.now = clock.now.plusMillis(ms));
  }

  @Test
  void anEmptyGroupNeedsNothing() {
    GroupKill.Result r = killer().stop(g, Duration.ofSeconds(5), Duration.ofSeconds(5));
    assertEquals(new GroupKill.Result(0, Set.of()), r);
    assertEquals(List.of(), sent);
  }

  @Test
  void termIsEnoughForPoliteProcesses() {
    g.pids.addAll(List.of(1L, 2L));
    GroupKill.Result r = killer().stop(g, Duration.ofSeconds(5), Duration.ofSeconds(5));
    assertTrue(r.clean());
    assertEquals(0, r.rounds());
    assertEquals(List.of("TERM 1", "TERM 2"), sent);
    assertEquals(Instant.parse("2025-01-01T00:00:00Z"), clock.now, "nobody waited");
  }

  @Test
  void stubbornProcessesAreKilledFrozenAfterTheGraceThenThawed() {
    g.pids.addAll(List.of(1L, 2L));
    g.ignoreTerm.add(2L); // the setsid'd sleep of a shell that traps TERM
    Instant start = clock.now;
    GroupKill.Result r = killer().stop(g, Duration.ofSeconds(3), Duration.ofSeconds(5));
    assertTrue(r.clean());
    assertEquals(1, r.rounds());
    assertEquals(List.of("TERM 1", "TERM 2", "KILL 2 frozen"), sent);
    assertEquals(List.of("freeze", "thaw"), g.log);
    assertTrue(!clock.now.isBefore(start.plusSeconds(3)), "waited out the grace: " + clock.now);
  }

  @Test
  void aForkBombCannotOutrunTheFreezer() {
    g.pids.add(1L);
    g.ignoreTerm.add(1L);
    g.forker = 1L;
    GroupKill.Result r = killer().stop(g, Duration.ZERO, Duration.ofSeconds(5));
    assertTrue(r.clean(), r.toString());
    assertTrue(sent.stream().allMatch(s -> s.endsWith("frozen")), "every SIGKILL hit a frozen group: " + sent);
  }

  @Test
  void withoutAFreezerItKillsRoundAfterRoundUntilEmpty() {
    g.canFreeze = false;
    g.pids.add(1L);
    g.ignoreTerm.add(1L);
    g.forker = 1L;
    GroupKill.Result r = killer().kill(g, Duration.ofSeconds(5));
    assertTrue(r.clean(), r.toString());
    assertTrue(r.rounds() >= 1);
  }

  @Test
  void theKernelsCgroupKillNeedsNoPids() {
    g.hasKillFile = true;
    g.pids.addAll(List.of(1L, 2L, 3L));
    g.ignoreTerm.addAll(g.pids);
    GroupKill.Result r = killer().stop(g, Duration.ofSeconds(1), Duration.ofSeconds(5));
    assertTrue(r.clean());
    assertEquals(List.of("cgroup.kill"), g.log);
    assertEquals(List.of("TERM 1", "TERM 2", "TERM 3"), sent);
  }

  @Test
  void aProcessThatCannotDieIsReportedAtTheDeadline() {
    g.pids.addAll(List.of(1L, 2L));
    g.unkillable.add(2L); // stuck in the kernel (state D)
    Instant start = clock.now;
    GroupKill.Result r = killer().stop(g, Duration.ofSeconds(1), Duration.ofSeconds(5));
    assertEquals(Set.of(2L), r.left());
    assertTrue(r.rounds() > 1);
    assertTrue(!clock.now.isBefore(start.plusSeconds(6)) && clock.now.isBefore(start.plusSeconds(7)), clock.now.toString());
  }
}
