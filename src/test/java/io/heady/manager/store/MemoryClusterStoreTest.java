package io.heady.manager.store;

import static io.heady.manager.store.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MemoryClusterStoreTest extends ClusterStoreContract {
  @Override
  protected ClusterStore open(Retention retention) {
    return new MemoryClusterStore(retention, clock);
  }

  @Test
  void theLeaseExpiresByTheClock() {
    assertTrue(result(store.tryLead("m1", Duration.ofSeconds(10))));
    clock.advance(Duration.ofSeconds(9));
    assertFalse(result(store.tryLead("m2", Duration.ofSeconds(10))));
    clock.advance(Duration.ofSeconds(1));
    assertNull(result(store.leader()));
    assertTrue(result(store.tryLead("m2", Duration.ofSeconds(10))));
    assertEquals("m2", result(store.leader()));
  }
}
