/** What manager, agent and clients share: configuration, wire records, addresses and process execution. */
package io.heady.common;
