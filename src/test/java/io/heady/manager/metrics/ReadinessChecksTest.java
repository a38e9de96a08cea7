package io.heady.manager.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.Status;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ReadinessChecksTest {
  private static Future<Status> run(io.vertx.core.Handler<Promise<Status>> check) {
    Promise<Status> p = Promise.promise();
    check.handle(p);
    return p.future();
  }

  @Test
  void aSchedulerThatAnswersIsUp(Vertx vertx, VertxTestContext ctx) {
    run(new SchedulerLoopCheck(vertx, () -> Future.succeededFuture(4), 2000)).onComplete(ctx.succeeding(s ->
        ctx.verify(() -> {
          assertTrue(s.isOk());
          assertEquals(4, s.getData().getInteger("queued"));
          ctx.completeNow();
        })));
  }

  @Test
  void aSchedulerLoopThatDoesNotAnswerInTimeIsDown(Vertx vertx, VertxTestContext ctx) {
    Promise<Integer> never = Promise.promise();
    run(new SchedulerLoopCheck(vertx, never::future, 100)).onComplete(ctx.succeeding(s -> ctx.verify(() -> {
      assertFalse(s.isOk());
      assertTrue(s.getData().getString("reason").contains("did not answer within 100 ms"), s.getData().encode());
      never.complete(1); // a late answer changes nothing
      ctx.completeNow();
    })));
  }

  @Test
  void aFailedReadIsDown(Vertx vertx, VertxTestContext ctx) {
    run(new SchedulerLoopCheck(vertx, () -> Future.failedFuture("boom"), 2000)).onComplete(ctx.succeeding(s ->
        ctx.verify(() -> {
          assertFalse(s.isOk());
          assertTrue(s.getData().getString("reason").contains("boom"));
          ctx.completeNow();
        })));
  }

  @Test
  void clusterStates() {
    assertTrue(ClusterMembershipCheck.evaluate(new ClusterMembership(true, "ACTIVE", 1, 0, false)).isOk(),
        "a manager alone is ready");
    Status withAgents = ClusterMembershipCheck.evaluate(new ClusterMembership(true, "ACTIVE", 4, 3, false));
    assertTrue(withAgents.isOk());
    assertEquals(3, withAgents.getData().getInteger("lite_members"));
    assertTrue(ClusterMembershipCheck.evaluate(new ClusterMembership(true, "NO_MIGRATION", 2, 1, false)).isOk());
    assertFalse(ClusterMembershipCheck.evaluate(new ClusterMembership(true, "PASSIVE", 2, 1, false)).isOk());
    assertFalse(ClusterMembershipCheck.evaluate(new ClusterMembership(true, "FROZEN", 2, 1, false)).isOk());
    assertFalse(ClusterMembershipCheck.evaluate(new ClusterMembership(false, "NOT_RUNNING", 0, 0, false)).isOk());
    assertFalse(ClusterMembershipCheck.evaluate(new ClusterMembership(true, "ACTIVE", 2, 2, true)).isOk());
  }
}
