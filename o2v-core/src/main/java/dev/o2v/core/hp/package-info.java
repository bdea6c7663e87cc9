/** Object2Vec hyperparameters: the catalog of keys, parsing, validation and the typed value. */
package dev.o2v.core.hp;
