/**
 * Raw persistence of NDArray slices: their native bytes go to a stream and come back into a slice
 * of an allocated array with no more copies than the engine needs.
 */
package dev.o2v.encoders.io;
