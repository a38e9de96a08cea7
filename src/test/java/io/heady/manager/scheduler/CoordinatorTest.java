package io.heady.manager.scheduler;

import static io.heady.manager.testing.NodeBuilder.node;
import static io.heady.manager.testing.SpecBuilder.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.ErrorCode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the coordinator applies an operation, by a clock moved by hand: each record it changed is written once when
 * the operation ends, whatever the operation did to it; an operation that changed nothing writes and places
 * nothing; a refused one still writes what it recorded (a late result) but places nothing.
 */
class CoordinatorTest {
  private final Harness h = new Harness();

  @Test
  void eachChangedRecordIsWrittenOncePerOperation() {
    h.join(node("a").cores(8).ram(16).slots(1));
    h.submit(task("make").id("x").spec());
    h.submit(task("make").id("y").spec());
    h.sink.taskWrites.clear();
    h.sink.nodeWrites.clear();
    h.at(5);
    h.succeed("x"); // x ends, y is dispatched in the same operation
    assertEquals(List.of("x:succeeded", "y:dispatched"), h.sink.taskWrites);
    assertEquals(List.of("a:active"), h.sink.nodeWrites);
  }

  @Test
  void anOperationThatChangesNothingWritesAndPlacesNothing() {
    h.join(node("a").slots(1));
    h.submit(task("sleep 100").id("x").spec());
    h.submit(task("sleep 100").id("waits").spec());
    h.sink.taskWrites.clear();
    h.sink.nodeWrites.clear();
    int sent = h.sink.dispatches.size();
    h.advance(Duration.ofSeconds(10));
    h.delivered();
    h.sink.taskWrites.clear();
    h.heartbeat("a"); // lists what it runs: nothing new
    h.scheduler.probeFailed("nobody", h.now);
    assertEquals(List.of(), h.sink.taskWrites);
    assertEquals(List.of(), h.sink.nodeWrites);
    assertEquals(sent, h.sink.dispatches.size());
  }

  @Test
  void aRefusedLateResultIsStillWrittenButPlacesNothing() {
    h.join(node("a").member("m"));
    h.submit(task("sleep 100").id("x").pin("a").spec());
    RecordingSink.Sent first = h.sink.dispatchOf("x");
    h.scheduler.memberLost("m", h.at(5)); // the lease is revoked; x waits for its node
    h.sink.taskWrites.clear();
    ApiException e = assertThrows(ApiException.class,
        () -> h.scheduler.complete(Harness.completion(first, "succeeded", 0), h.at(6)));
    assertEquals(ErrorCode.STALE_LEASE, e.code());
    assertEquals(List.of("x:queued"), h.sink.taskWrites, "the late result is kept on its attempt");
    assertEquals(1, h.sink.dispatches.size());
  }
}
