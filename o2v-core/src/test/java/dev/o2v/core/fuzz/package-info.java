/** Seeded generators of random and adversarial inputs shared by the fuzz tests. */
package dev.o2v.core.fuzz;
