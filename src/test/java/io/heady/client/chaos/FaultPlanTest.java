package io.heady.client.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The seeded fault schedule: replayable, inside the run, one fault at a time per agent. */
class FaultPlanTest {
  static final List<String> AGENTS = List.of("chaos-a1", "chaos-a2", "chaos-a3", "chaos-h1");

  /** The soak's plan: 10,000 tasks at 25/s, 10 kills, a pause, a 10 s Redis outage, a manager kill. */
  static FaultPlan.Spec soak(long seed) {
    return new FaultPlan.Spec(seed, 400, AGENTS, 10, 1, 8, 10, 1, 1);
  }

  @Test
  void theSameSeedGivesTheSamePlanAndAnotherSeedAnother() {
    assertEquals(FaultPlan.of(soak(42)).steps(), FaultPlan.of(soak(42)).steps());
    assertNotEquals(FaultPlan.of(soak(42)).steps(), FaultPlan.of(soak(43)).steps());
    assertEquals(42, FaultPlan.of(soak(42)).seed());
  }

  @Test
  void everyStepAskedForIsPlannedInTimeOrder() {
    for (long seed = 1; seed <= 200; seed++) {
      List<FaultStep> steps = FaultPlan.of(soak(seed)).steps();
      Map<FaultStep.Kind, Long> byKind = steps.stream().collect(Collectors.groupingBy(FaultStep::kind,
          Collectors.counting()));
      assertEquals(Map.of(FaultStep.Kind.AGENT_KILL, 10L, FaultStep.Kind.AGENT_PAUSE, 1L,
          FaultStep.Kind.REDIS_KILL, 1L, FaultStep.Kind.MANAGER_KILL, 1L), byKind, "seed " + seed);
      for (int i = 1; i < steps.size(); i++) {
        assertTrue(steps.get(i - 1).atSec() <= steps.get(i).atSec(), "seed " + seed + ": " + steps);
      }
    }
  }

  @Test
  void everyStepStartsAfterTheFirstTenthAndIsUndoneBeforeTheLastTenth() {
    for (long seed = 1; seed <= 200; seed++) {
      FaultPlan p = FaultPlan.of(soak(seed));
      for (FaultStep s : p.steps()) {
        assertTrue(s.atSec() >= 40, "seed " + seed + ": " + s);
        assertTrue(s.endSec() <= 360, "seed " + seed + ": " + s);
        switch (s.kind()) {
          case AGENT_KILL, MANAGER_KILL -> assertEquals(1.0, s.forSec());
          case AGENT_PAUSE -> assertEquals(8.0, s.forSec());
          case REDIS_KILL -> assertEquals(10.0, s.forSec());
        }
      }
      assertTrue(p.lastEndSec() <= 360);
    }
  }

  @Test
  void anAgentTakesOneFaultAtATimeAndRedisAndManagerFaultsDoNotOverlap() {
    for (long seed = 1; seed <= 200; seed++) {
      List<FaultStep> steps = FaultPlan.of(soak(seed)).steps();
      for (int i = 0; i < steps.size(); i++) {
        for (int j = i + 1; j < steps.size(); j++) {
          FaultStep a = steps.get(i);
          FaultStep b = steps.get(j);
          boolean agentA = AGENTS.contains(a.target());
          boolean agentB = AGENTS.contains(b.target());
          if (agentA && a.target().equals(b.target())) {
            assertTrue(b.atSec() >= a.endSec() + FaultPlan.AGENT_BACK_SEC,
                "seed " + seed + ": " + a + " then " + b);
          }
          if (!agentA && !agentB) {
            assertTrue(b.atSec() >= a.endSec() + FaultPlan.REDIS_BACK_SEC, "seed " + seed + ": " + a + " then " + b);
          }
        }
      }
    }
  }

  @Test
  void killsLandOnEveryKindOfAgentOverManySeeds() {
    java.util.Set<String> hit = new java.util.HashSet<>();
    for (long seed = 1; seed <= 50; seed++) {
      FaultPlan.of(soak(seed)).steps().stream().filter(s -> s.kind() == FaultStep.Kind.AGENT_KILL)
          .forEach(s -> hit.add(s.target()));
    }
    assertEquals(new java.util.HashSet<>(AGENTS), hit);
  }

  @Test
  void noFaultsIsAnEmptyPlan() {
    FaultPlan p = FaultPlan.of(new FaultPlan.Spec(1, 50, AGENTS, 0, 0, 8, 0, 0, 1));
    assertEquals(List.of(), p.steps());
    assertEquals(0, p.lastEndSec());
  }

  @Test
  void faultsThatDoNotFitAreRefusedNamingTheFlags() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FaultPlan.of(new FaultPlan.Spec(1, 5, AGENTS, 0, 0, 8, 5, 0, 1)));
    assertTrue(e.getMessage().contains("--redis-kill-sec 5"), e.getMessage());
    assertTrue(e.getMessage().contains("--tasks / --rate"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> FaultPlan.of(new FaultPlan.Spec(1, 50, List.of("a"), 10, 0, 8, 0, 0, 1)));
    assertTrue(e.getMessage().contains("--agent-kills 10"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> FaultPlan.of(new FaultPlan.Spec(1, 50, List.of(), 1, 0, 8, 0, 0, 1)));
    assertTrue(e.getMessage().contains("at least one agent"), e.getMessage());
  }

  @Test
  void theTestSuitesRunFits() {
    // ChaosIT: 1,000 tasks at 25/s on three agents, 3 kills and one pause past the TTL
    FaultPlan p = FaultPlan.of(new FaultPlan.Spec(7, 40, List.of("chaos-a1", "chaos-a2", "chaos-h1"), 3, 1, 8, 0, 0,
        1));
    assertEquals(4, p.steps().size());
  }

  @Test
  void aStepDescribesItself() {
    assertEquals("+12.3 s  SIGKILL agent chaos-a2, restart it 1.0 s later",
        new FaultStep(12.34, FaultStep.Kind.AGENT_KILL, "chaos-a2", 1).describe());
    assertEquals("+5.0 s  SIGSTOP agent chaos-h1, SIGCONT it 8.0 s later",
        new FaultStep(5, FaultStep.Kind.AGENT_PAUSE, "chaos-h1", 8).describe());
    assertEquals("+60.0 s  SIGKILL redis-server, restart it 10.0 s later",
        new FaultStep(60, FaultStep.Kind.REDIS_KILL, "redis", 10).describe());
    assertEquals("+90.0 s  SIGKILL the manager, restart it 1.0 s later",
        new FaultStep(90, FaultStep.Kind.MANAGER_KILL, "manager", 1).describe());
  }
}
