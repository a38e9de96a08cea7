/**
 * What manager, agent and clients share: configuration ({@code config}), wire records and addresses
 * ({@code protocol}), identity and the token check ({@code identity}), the node side of the agent protocol
 * ({@code node}), process execution ({@code exec}) and the one retry backoff ({@code retry}).
 */
package io.heady.common;
