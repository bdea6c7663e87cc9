/** The {@code o2v} command line: picocli commands that translate user input to library calls. */
package dev.o2v.cli;
