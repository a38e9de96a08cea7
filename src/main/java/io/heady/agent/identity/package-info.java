/**
 * The node's own identity: its key (made here, never sent anywhere), the certificate the cluster CA issued
 * for it at enrollment, and the key it shares with the manager. The join token is needed only once, to enroll.
 */
package io.heady.agent.identity;
