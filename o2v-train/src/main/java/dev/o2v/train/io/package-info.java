/** Binary persistence of tensors of any size, written and read in bounded chunks. */
package dev.o2v.train.io;
