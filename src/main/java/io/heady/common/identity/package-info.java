/**
 * Who is who in a cluster: the cluster's CA and members' credentials ({@link io.heady.common.identity.Pki},
 * {@link io.heady.common.identity.Credential}), pair keys and the seals made with them
 * ({@link io.heady.common.identity.Seal}, framed on the event bus as a
 * {@link io.heady.common.identity.BusEnvelope}), the event bus's TLS ({@link io.heady.common.identity.BusSecurity}),
 * the one constant-time check of a presented token ({@link io.heady.common.identity.TokenCheck}, used by the
 * manager's API and the node API alike) and secrets on disk ({@link io.heady.common.identity.PrivateFile}).
 */
package io.heady.common.identity;
