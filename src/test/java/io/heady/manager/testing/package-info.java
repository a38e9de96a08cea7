/** Test builders shared by the manager's unit tests: registrations, task specs. */
package io.heady.manager.testing;
