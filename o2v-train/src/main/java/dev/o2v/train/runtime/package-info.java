/** Runtime environment of training and inference: device selection and engine settings. */
package dev.o2v.train.runtime;
