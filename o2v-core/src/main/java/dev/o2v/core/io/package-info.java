/**
 * Binary streams over file channels that also move whole {@link java.nio.ByteBuffer}s, so large
 * native arrays reach the disk (and come back) without passing through the Java heap.
 */
package dev.o2v.core.io;
