/** The anti-stagnation watchdog: finds work that stopped moving and acts, by an injected clock. */
package io.heady.manager.watchdog;
