package io.heady.manager.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What {@code ?types=} asks for, and what it refuses. */
class EventFilterTest {
  @Test
  void noTypesIsEveryType() {
    assertSame(EventFilter.ALL, EventFilter.parse(null));
    assertSame(EventFilter.ALL, EventFilter.parse(""));
    assertSame(EventFilter.ALL, EventFilter.parse(" , "));
    assertTrue(EventFilter.ALL.accepts("node.registered"));
  }

  @Test
  void exactTypesAndPrefixes() {
    EventFilter f = EventFilter.parse("task.succeeded, task.failed,node.*");
    assertTrue(f.accepts("task.succeeded"));
    assertTrue(f.accepts("task.failed"));
    assertTrue(f.accepts("node.registered"));
    assertTrue(f.accepts("node.stale"));
    assertFalse(f.accepts("task.submitted"));
    assertFalse(f.accepts("task.running"));
    assertFalse(f.accepts("watchdog.moving"));
    assertFalse(f.all());
  }

  @Test
  void anUnknownTypeIsRefusedByNameWithTheKnownOnesListed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EventFilter.parse("task.succeeded,task.finished,tsk.*"));
    assertTrue(e.getMessage().contains("unknown event types task.finished, tsk.*"), e.getMessage());
    assertTrue(e.getMessage().contains("task.timed_out"), e.getMessage());
    assertTrue(e.getMessage().contains("node.pending_approval"), e.getMessage());
  }
}
