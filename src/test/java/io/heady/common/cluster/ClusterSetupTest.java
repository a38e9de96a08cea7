package io.heady.common.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A lite member (an agent) runs on one thread a pool; a data member (the manager) keeps Hazelcast's sizes. */
class ClusterSetupTest {
  private static Config config(boolean lite) {
    return ClusterSetup.hazelcastConfig(new ClusterSettings("c", "127.0.0.1", 0, List.of("127.0.0.1:5701"), lite,
        5, 30, 0));
  }

  @Test
  void aLiteMemberTakesFewThreadsAndADataMemberTheDefaults() {
    String[][] table = { // property, on a lite member
        {"hazelcast.partition.operation.thread.count", "1"},
        {"hazelcast.generic.operation.thread.count", "2"},
        {"hazelcast.operation.response.thread.count", "1"},
        {"hazelcast.io.input.thread.count", "1"},
        {"hazelcast.io.output.thread.count", "1"},
        {"hazelcast.event.thread.count", "1"}};
    Config lite = config(true);
    Config data = config(false);
    assertTrue(lite.isLiteMember());
    for (String[] row : table) {
      assertEquals(row[1], lite.getProperty(row[0]), row[0]);
      assertNull(data.getProperty(row[0]), row[0] + " is Hazelcast's own on a data member");
    }
    assertFalse(lite.getMetricsConfig().isEnabled(), "no metrics collection on a lite member");
    assertTrue(data.getMetricsConfig().isEnabled());
  }
}
