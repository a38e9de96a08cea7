/** Joining the Vert.x cluster over Hazelcast: TCP-IP join, no multicast, no phone-home, tuned heartbeats. */
package io.heady.common.cluster;
