/**
 * The cluster's secrets: values kept encrypted at rest in the cluster store ({@link
 * io.heady.manager.secrets.SecretVault}, under the key of {@link io.heady.manager.secrets.SecretsKey}), resolved
 * when an attempt is dispatched and sealed for the one node that runs it ({@link
 * io.heady.manager.secrets.DispatchSecrets}), and masked again in what the manager keeps of the attempt's output
 * ({@link io.heady.manager.secrets.SecretMasks}). No value is ever answered by the API, published in an event or
 * written to a log.
 */
package io.heady.manager.secrets;
