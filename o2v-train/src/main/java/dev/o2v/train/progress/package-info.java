/** Showing training progress: a bar on terminals, periodic log lines elsewhere. */
package dev.o2v.train.progress;
