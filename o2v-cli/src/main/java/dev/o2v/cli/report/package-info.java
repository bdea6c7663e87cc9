/**
 * The training report: one self-contained HTML file of curves and tables, written into the model
 * directory after training or by {@code o2v report}.
 */
package dev.o2v.cli.report;
